/** Chromium launch flags that matter on closed-network machines (see docs/platform-notes). */
export const BASE_CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-default-apps',
  '--disable-breakpad',
];

/** Chromium's own sandbox cannot start as root; elsewhere keep it on. */
export function sandboxArgs(isRoot: boolean): string[] {
  return isRoot ? ['--no-sandbox'] : [];
}
