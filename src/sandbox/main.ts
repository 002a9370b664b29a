/**
 * `sandgate sandbox` entrypoint: starts the runtime, prints one JSON ready line on stdout
 * (`{"event":"ready","port":…,"basePath":…}`), exits with its whole tree on SIGTERM/SIGINT,
 * and exits non-zero when the browser dies.
 */
import { startRuntime, type RuntimeOptions } from './runtime.js';

export const READY_EVENT = 'ready';

export async function runSandbox(options: RuntimeOptions): Promise<void> {
  const runtime = await startRuntime(options);
  process.stdout.write(JSON.stringify({ event: READY_EVENT, port: runtime.port, socketPath: runtime.socketPath, basePath: runtime.basePath, pid: process.pid, browserPid: runtime.browserPid }) + '\n');
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await runtime.close();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  const reason = await runtime.browserExited;
  if (!stopping) {
    process.stderr.write(JSON.stringify({ event: 'browser-exited', reason }) + '\n');
    await stop(1);
  }
}
