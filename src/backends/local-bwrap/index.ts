/**
 * local-bwrap backend: each tenant's runtime in its own bubblewrap box (namespaces, read-only
 * system, one writable directory, unprivileged uid with Chromium's sandbox on, cgroup limits).
 */
import { LocalBackend } from '../local/local-backend.js';
import type { RuntimeSettings } from '../local/launcher.js';
import { bwrapLauncher, type BwrapOptions } from './launcher.js';

export interface LocalBwrapOptions extends RuntimeSettings, BwrapOptions {
  warmPool: number;
}

export class LocalBwrapBackend extends LocalBackend {
  constructor(options: LocalBwrapOptions) {
    super({ ...options, launcher: bwrapLauncher(options) });
  }
}
