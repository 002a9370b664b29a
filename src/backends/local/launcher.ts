/**
 * How a local backend starts one sandbox runtime: plain process, bubblewrap box, … A launcher
 * prepares what the sandbox needs (directory, cgroup) and returns the command; the shared
 * LocalBackend does everything else (ready line, pool, suspend, release, loss detection).
 */
import { fileURLToPath } from 'node:url';
import type { SandboxCgroup } from '../../process/cgroup.js';
import type { IsolationLevel } from '../types.js';

/** The runtime entrypoint (`sandgate sandbox`). */
export const CLI_PATH = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface PreparedSandbox {
  spec: LaunchSpec;
  /** Present when the launcher put the sandbox in its own cgroup. */
  cgroup?: SandboxCgroup | undefined;
  /** Removes what prepare() created (directories, cgroups). The processes are already gone. */
  dispose(): Promise<void>;
}

export interface RuntimeSettings {
  chromiumPath: string;
  chromiumArgs: readonly string[];
}

export interface Launcher {
  readonly name: string;
  readonly isolation: IsolationLevel;
  prepare(id: string, runtime: RuntimeSettings): Promise<PreparedSandbox>;
}

/** Arguments of `sandgate sandbox` shared by every launcher; the listen arguments differ. */
export function runtimeArgs(runtime: RuntimeSettings, listen: string[]): string[] {
  const args = [CLI_PATH, 'sandbox', ...listen, '--chromium-path', runtime.chromiumPath];
  if (runtime.chromiumArgs.length > 0) args.push('--chromium-args', runtime.chromiumArgs.join(' '));
  return args;
}
