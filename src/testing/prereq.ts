/**
 * Prerequisites of integration tests. Locally a missing one skips the test with the reason;
 * under CI=true it FAILS, so a missing install step can never pass as green.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.SANDGATE_CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

export function isCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** Returns a skip reason (string) when `ok` is false outside CI; throws under CI. */
export function prerequisite(ok: boolean, what: string): string | false {
  if (ok) return false;
  if (isCI()) throw new Error(`prerequisite missing under CI: ${what}`);
  return `prerequisite missing: ${what}`;
}

export function chromiumSkip(): string | false {
  return prerequisite(existsSync(CHROMIUM_PATH), `Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
}
