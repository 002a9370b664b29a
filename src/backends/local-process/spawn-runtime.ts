/**
 * Spawns one sandbox runtime as a local child process and waits for its own ready line
 * (no polling). The child leads its own process group; killTree removes it with Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SandgateError } from '../../errors/errors.js';
import { killTree } from '../../process/tree.js';

export const CLI_PATH = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

export interface SpawnedRuntime {
  child: ChildProcess;
  pid: number;
  port: number;
  basePath: string;
  browserPid: number;
  /** Resolves once the process has exited, with a human-readable reason. */
  exited: Promise<string>;
}

export interface SpawnOptions {
  chromiumPath: string;
  chromiumArgs: readonly string[];
  signal: AbortSignal;
  /** Extra environment for the runtime. */
  env?: Record<string, string>;
}

const STDERR_TAIL = 4096;

export function spawnRuntime(options: SpawnOptions): Promise<SpawnedRuntime> {
  const secret = randomBytes(24).toString('base64url');
  const args = [CLI_PATH, 'sandbox', '--host', '127.0.0.1', '--port', '0', '--chromium-path', options.chromiumPath];
  if (options.chromiumArgs.length > 0) args.push('--chromium-args', options.chromiumArgs.join(' '));
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, SANDGATE_SANDBOX_SECRET: secret },
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, sig) => resolve(`sandbox runtime exited (code ${code}, signal ${sig})`));
    child.once('error', (err) => resolve(`sandbox runtime failed to spawn: ${err.message}`));
  });

  return new Promise<SpawnedRuntime>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const onAbort = () => {
      cleanup();
      void killTree(child.pid ?? -1, 500);
      reject(new SandgateError('SG_ENSURE_ABORTED', 'sandbox provisioning was aborted', { cause: options.signal.reason }));
    };
    const cleanup = () => {
      options.signal.removeEventListener('abort', onAbort);
      lines.close();
    };
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    lines.on('line', (line) => {
      let msg: { event?: string; port?: number; basePath?: string; browserPid?: number };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return;
      }
      if (msg.event !== 'ready' || !msg.port || !msg.basePath) return;
      cleanup();
      child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
      resolve({ child, pid: child.pid as number, port: msg.port, basePath: msg.basePath, browserPid: msg.browserPid ?? -1, exited });
    });
    void exited.then((reason) => {
      if (options.signal.aborted) return;
      cleanup();
      reject(new SandgateError('SG_RUNTIME_FAILED', `${reason}; stderr: ${stderrTail.trim().slice(-1000) || '(empty)'}`));
    });
  });
}
