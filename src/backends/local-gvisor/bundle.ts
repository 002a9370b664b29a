/** The OCI bundle of one gVisor sandbox: a skeleton root with /usr and /etc read-only, tmpfs /tmp (the profile), the app read-only. */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI_PATH } from '../local/launcher.js';

export const APP_DIR = dirname(dirname(dirname(CLI_PATH)));
const APP_MOUNT = '/opt/sandgate';

export interface BundleOptions {
  chromiumPath: string;
  chromiumArgs: readonly string[];
  memoryBytes: number;
}

/**
 * A skeleton root: only mount points and the merged-/usr symlinks. The host's /usr and /etc are bound
 * read-only on top; nothing else of the host (homes, /work, /tmp, other sandboxes) is visible inside.
 */
function writeRootfs(dir: string): string {
  const rootfs = join(dir, 'rootfs');
  for (const d of ['usr', 'etc', 'tmp', 'proc', 'dev', 'opt/sandgate']) mkdirSync(join(rootfs, d), { recursive: true });
  for (const [link, target] of [['bin', 'usr/bin'], ['sbin', 'usr/sbin'], ['lib', 'usr/lib'], ['lib64', 'usr/lib64']] as const) {
    if (!existsSync(join(rootfs, link))) symlinkSync(target, join(rootfs, link));
  }
  return rootfs;
}

export function writeBundle(dir: string, options: BundleOptions): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const rootfs = writeRootfs(dir);
  const config = {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [process.execPath, join(APP_MOUNT, 'dist/sandbox/pipe-relay.js'), options.chromiumPath, ...options.chromiumArgs],
      env: ['PATH=/usr/bin:/bin', 'HOME=/tmp', 'TMPDIR=/tmp'],
      cwd: '/tmp',
    },
    root: { path: rootfs, readonly: true },
    hostname: 'sandbox',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/usr', type: 'bind', source: '/usr', options: ['ro', 'rbind'] },
      { destination: '/etc', type: 'bind', source: '/etc', options: ['ro', 'rbind'] },
      { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'nosuid', 'nodev', 'size=1g'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['rw', 'nosuid', 'nodev'] },
      { destination: APP_MOUNT, type: 'bind', source: APP_DIR, options: ['ro', 'rbind'] },
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      ...(options.memoryBytes > 0 ? { resources: { memory: { limit: options.memoryBytes } } } : {}),
    },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}
