import { existsSync } from 'node:fs';
import { backendContract } from '../contract.js';
import { LocalBwrapBackend, type LocalBwrapOptions } from './index.js';
import { CHROMIUM_PATH, chromiumSkip, prerequisite } from '../../testing/prereq.js';
import { killRemaining } from '../../process/tree.js';

export function bwrapOptions(overrides: Partial<LocalBwrapOptions> = {}): LocalBwrapOptions {
  return {
    chromiumPath: CHROMIUM_PATH,
    chromiumArgs: [],
    warmPool: 0,
    root: '/tmp/sandgate-test-sandboxes',
    network: 'none',
    uid: 65534,
    gid: 65534,
    limits: { memoryBytes: 1024 ** 3, cpus: 1, pids: 1024 },
    ...overrides,
  };
}

export const bwrapSkip = (): string | false => chromiumSkip() || prerequisite(existsSync('/usr/bin/bwrap'), 'bubblewrap (apt-get install -y bubblewrap)');

backendContract('local-bwrap', {
  skip: bwrapSkip(),
  async make() {
    const backend = new LocalBwrapBackend(bwrapOptions());
    return {
      backend,
      async kill(tenant) {
        const info = (await backend.list()).find((s) => s.tenant === tenant);
        killRemaining(info?.pids ?? []);
      },
    };
  },
  async makeBroken() {
    return new LocalBwrapBackend(bwrapOptions({ chromiumPath: '/nonexistent/chromium' }));
  },
});
