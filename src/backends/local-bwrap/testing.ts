/** Shared by the local-bwrap test files. */
import { existsSync } from 'node:fs';
import type { LocalBwrapOptions } from './index.js';
import { CHROMIUM_PATH, chromiumSkip, prerequisite } from '../../testing/prereq.js';

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

