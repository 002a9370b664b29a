/**
 * Output of a simulated container of the test node agent. A container that is not a sandgate image
 * has no process; its env var SANDGATE_TEST_LOG may hold a JSON script of what it prints, so tests can
 * run pods that log like real services (a healthy app, one that panics and crash-loops):
 *
 *   [{"print": "GET /color 200 {i}ms", "times": 50, "everyMs": 5},
 *    {"print": "panic: runtime error: index out of range [6] with length 6\n\ngoroutine 34 [running]:", "stream": "stderr"},
 *    {"sleepMs": 100},
 *    {"exit": 2}]
 *
 * `print` writes its text (newlines split it into lines; `{i}` is the repetition, 0-based) `times`
 * times, `everyMs` apart; `sleepMs` waits; `exit` ends the container with that code (the node agent
 * restarts it per restartPolicy and the script runs again, so the log before the crash is the previous
 * instance). After the last step the container stays running, idle.
 */
import { z } from 'zod';
import type { ContainerProcess } from './container-process.js';
import type { LogInstance } from './container-logs.js';

export const LOG_SCRIPT_ENV = 'SANDGATE_TEST_LOG';

const step = z.union([
  z.object({ print: z.string(), stream: z.enum(['stdout', 'stderr']).default('stdout'), times: z.number().int().min(1).default(1), everyMs: z.number().min(0).default(0) }).strict(),
  z.object({ sleepMs: z.number().min(0) }).strict(),
  z.object({ exit: z.number().int().min(0).max(255) }).strict(),
]);
const script = z.array(step).min(1);
/** A script as written (defaults omitted). */
export type LogScript = z.input<typeof script>;
type ParsedScript = z.infer<typeof script>;

/** The container's script, undefined when it has none; a malformed one throws with the reason. */
export function logScriptOf(env: ReadonlyArray<{ name: string; value?: string | undefined }>): ParsedScript | undefined {
  const raw = env.find((e) => e.name === LOG_SCRIPT_ENV)?.value;
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`${LOG_SCRIPT_ENV} is not JSON: ${(err as Error).message}`);
  }
  const result = script.safeParse(parsed);
  if (!result.success) throw new Error(`${LOG_SCRIPT_ENV} is not a valid log script: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return result.data;
}

/** Runs the script into `log`. `exited` resolves only on an `exit` step or stop(). */
export function runLogScript(steps: ParsedScript, log: LogInstance): ContainerProcess {
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  let resolveExit: (reason: string) => void = () => undefined;
  const exited = new Promise<string>((resolve) => (resolveExit = resolve));
  const run = async () => {
    for (const s of steps) {
      if ('print' in s) {
        for (let i = 0; i < s.times && !stopped; i++) {
          if (i > 0 && s.everyMs > 0) await sleep(s.everyMs);
          if (!stopped) log.write(s.stream, `${s.print.replaceAll('{i}', String(i))}\n`);
        }
      } else if ('sleepMs' in s) await sleep(s.sleepMs);
      else {
        log.end();
        resolveExit(`container exited (code ${s.exit})`);
        return;
      }
      if (stopped) return;
    }
  };
  void run();
  return {
    pid: undefined,
    exited,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      log.end();
      resolveExit('container stopped');
    },
  };
}
