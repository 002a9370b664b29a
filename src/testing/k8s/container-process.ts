/**
 * Runs the one container of a simulated pod as a local process: the sandgate image's entrypoint
 * (`node dist/cli/main.js`) with the container's args, its env, and `--host <podIP>` standing in
 * for the pod's own network namespace. Resolves on the runtime's JSON ready line (no polling).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { killTree } from '../../process/tree.js';
import type { LogStream } from './container-logs.js';

export const CLI_PATH = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

export interface ContainerProcess {
  /** Host PID; undefined for a simulated container (no process). */
  pid: number | undefined;
  /** Resolves with a reason once the process has exited. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** `output` receives everything the container writes (its log). */
export function startContainer(
  args: string[],
  env: Record<string, string>,
  podIP: string,
  output?: (stream: LogStream, chunk: Buffer) => void,
  timeoutMs = 30_000,
): Promise<ContainerProcess> {
  const child: ChildProcess = spawn(process.execPath, [CLI_PATH, ...args, '--host', podIP], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  if (output) {
    child.stdout?.on('data', (d: Buffer) => output('stdout', d));
    child.stderr?.on('data', (d: Buffer) => output('stderr', d));
  }
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`container exited (code ${code}, signal ${signal}): ${stderr.trim().slice(-500)}`));
    child.once('error', (err) => resolve(`container failed to start: ${err.message}`));
  });
  const stop = async () => {
    if (child.pid) await killTree(child.pid, 3000);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`container not ready in ${timeoutMs} ms`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.includes('"ready"')) return;
      clearTimeout(timer);
      lines.close();
      child.stdout?.resume();
      resolve({ pid: child.pid as number, exited, stop });
    });
    void exited.then((reason) => {
      clearTimeout(timer);
      reject(new Error(reason));
    });
  });
}
