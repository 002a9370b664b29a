/** One runtime as a plain local process, outside any backend (the bench's direct baseline). */
import { startRuntimeProcess, type SpawnedRuntime } from '../local/runtime-process.js';
import { processLauncher } from './launcher.js';

export type { SpawnedRuntime } from '../local/runtime-process.js';

export interface SpawnOptions {
  chromiumPath: string;
  chromiumArgs: readonly string[];
  signal: AbortSignal;
}

export async function spawnRuntime(options: SpawnOptions): Promise<SpawnedRuntime> {
  const prepared = await processLauncher.prepare('direct', options);
  return startRuntimeProcess(prepared.spec, options.signal);
}
