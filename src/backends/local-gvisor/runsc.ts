/** Thin wrappers around the runsc CLI: the sandbox's own process (run/restore) and one-shot commands. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface RunscGlobals {
  /** runsc state directory (--root). */
  root: string;
  platform: string;
}

function globals(g: RunscGlobals): string[] {
  return [`--root=${g.root}`, `--platform=${g.platform}`, '--network=none'];
}

/** Starts `runsc run` (cold) or `runsc restore` (from a checkpoint image) with CDP on stdin/stdout. */
export function startContainer(g: RunscGlobals, id: string, bundle: string, imagePath?: string): ChildProcess {
  const verb = imagePath ? ['restore', `--image-path=${imagePath}`] : ['run'];
  return spawn('runsc', [...globals(g), ...verb, `--bundle=${bundle}`, id], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
}

export async function runsc(g: RunscGlobals, args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await exec('runsc', [...globals(g), ...args], { timeout: timeoutMs });
  return stdout;
}

/** Best-effort removal of a container in any state. */
export async function destroyContainer(g: RunscGlobals, id: string): Promise<void> {
  await runsc(g, ['kill', id, 'KILL'], 10_000).catch(() => undefined);
  await runsc(g, ['delete', '--force', id], 20_000).catch(() => undefined);
}
