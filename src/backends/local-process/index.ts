/**
 * local-process backend: one sandbox runtime per tenant as a child process on 127.0.0.1.
 * Isolation level "process": tenants share the machine, the user and the network; use
 * local-bwrap or local-gvisor for untrusted callers.
 */
import { LocalBackend } from '../local/local-backend.js';
import type { RuntimeSettings } from '../local/launcher.js';
import { processLauncher } from './launcher.js';

export interface LocalProcessOptions extends RuntimeSettings {
  warmPool: number;
}

export class LocalProcessBackend extends LocalBackend {
  constructor(options: LocalProcessOptions) {
    super({ ...options, launcher: processLauncher });
  }
}
