/**
 * Starts one sandbox runtime process from a launch spec and waits for its own ready line
 * (no polling). The child leads its own process group; killTree removes it with Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { SandgateError } from '../../errors/errors.js';
import { killTree } from '../../process/tree.js';
import type { LaunchSpec } from './launcher.js';

export interface SpawnedRuntime {
  child: ChildProcess;
  pid: number;
  port: number;
  socketPath: string | undefined;
  basePath: string;
  browserPid: number;
  /** Resolves once the process has exited, with a human-readable reason. */
  exited: Promise<string>;
}

const STDERR_TAIL = 4096;

interface ReadyLine {
  event?: string;
  port?: number;
  socketPath?: string;
  basePath?: string;
  browserPid?: number;
}

export function startRuntimeProcess(spec: LaunchSpec, signal: AbortSignal): Promise<SpawnedRuntime> {
  const secret = randomBytes(24).toString('base64url');
  const child = spawn(spec.command, spec.args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...spec.env, SANDGATE_SANDBOX_SECRET: secret },
  });
  let stderrTail = '';
  const onStderr = (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  };
  child.stderr?.on('data', onStderr);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, sig) => resolve(`sandbox runtime exited (code ${code}, signal ${sig})`));
    child.once('error', (err) => resolve(`sandbox runtime failed to spawn: ${err.message}`));
  });

  return new Promise<SpawnedRuntime>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const onAbort = () => {
      cleanup();
      void killTree(child.pid ?? -1, 500);
      reject(new SandgateError('SG_ENSURE_ABORTED', 'sandbox provisioning was aborted', { cause: signal.reason }));
    };
    const cleanup = () => {
      signal.removeEventListener('abort', onAbort);
      lines.close();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    lines.on('line', (line) => {
      let msg: ReadyLine;
      try {
        msg = JSON.parse(line) as ReadyLine;
      } catch {
        return;
      }
      if (msg.event !== 'ready' || !msg.basePath || !(msg.port || msg.socketPath)) return;
      cleanup();
      child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
      child.stderr?.off('data', onStderr);
      child.stderr?.resume();
      resolve({ child, pid: child.pid as number, port: msg.port ?? 0, socketPath: msg.socketPath, basePath: msg.basePath, browserPid: msg.browserPid ?? -1, exited });
    });
    void exited.then((reason) => {
      if (signal.aborted) return;
      cleanup();
      reject(new SandgateError('SG_RUNTIME_FAILED', `${reason}; stderr: ${stderrTail.trim().slice(-1000) || '(empty)'}`));
    });
  });
}
