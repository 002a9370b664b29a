/** The OCI bundle of one gVisor sandbox: read-only host root, tmpfs /tmp (profile lives there), the app read-only. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI_PATH } from '../local/launcher.js';

export const APP_DIR = dirname(dirname(dirname(CLI_PATH)));
const APP_MOUNT = '/opt/sandgate';

export interface BundleOptions {
  chromiumPath: string;
  chromiumArgs: readonly string[];
  memoryBytes: number;
}

export function writeBundle(dir: string, options: BundleOptions): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [process.execPath, join(APP_MOUNT, 'dist/sandbox/pipe-relay.js'), options.chromiumPath, ...options.chromiumArgs],
      env: ['PATH=/usr/bin:/bin', 'HOME=/tmp', 'TMPDIR=/tmp'],
      cwd: '/tmp',
    },
    root: { path: '/', readonly: true },
    hostname: 'sandbox',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
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
