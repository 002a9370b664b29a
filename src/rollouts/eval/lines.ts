/**
 * Log line makers for the synthetic corpus, modelled on the seed demo (argoproj rollouts-demo:
 * `2006/01/02 15:04:05 200 - blue`) and on a structured-logging service (logfmt with durations).
 */
import type { Rng } from './rng.js';

export const COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'] as const;

export interface Behaviour {
  format: 'demo' | 'logfmt';
  /** Fixed colour, or undefined for the bad demo build that returns random colours. */
  color: string | undefined;
  errorRate: number;
  /** Median request duration (ms) and its spread. */
  latencyMs: number;
  latencySd: number;
  /** Probability per request of a panic (with its goroutine trace). */
  panicRate: number;
  /** Probability per request of one line from the background-noise pool. */
  noiseRate: number;
  /** Whether the demo build prints its artificial delay, as slow-yellow does. */
  printsDelay: boolean;
}

const NOISE = [
  'WARN slow query on table sessions took 1203ms',
  'http: TLS handshake error from 10.0.3.7:41234: EOF',
  'level=warn msg="cache miss storm" keys=312',
  'level=error msg="upstream timeout" upstream=inventory attempt=2',
  'WARN connection pool exhausted, waiting',
  'level=info msg="gc pause" pause=12ms',
  'error: context canceled while reading body',
  'level=warn msg="retrying publish" topic=events',
];

const RARE = Array.from({ length: 12 }, (_, i) => `level=error msg="rare failure kind ${String.fromCharCode(97 + i)}" code=E${100 + i}`);

function ts(base: number, i: number): string {
  const d = new Date(base + i * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const PANIC_TRACES = [
  ['panic: runtime error: index out of range [6] with length 6', '', 'goroutine 34 [running]:', 'main.randomColor(...)', '\t/go/src/app/main.go:202', 'main.getColor({0x9f3c40, 0xc0001b6000}, 0xc0001a2100)', '\t/go/src/app/main.go:150 +0x2e5', 'net/http.HandlerFunc.ServeHTTP(0x0?, {0x9f3c40?, 0xc0001b6000?}, 0x0?)'],
  ['http: panic serving 10.0.1.12:51234: runtime error: invalid memory address or nil pointer dereference', 'goroutine 51 [running]:', 'net/http.(*conn).serve.func1()', '\t/usr/local/go/src/net/http/server.go:1898 +0xbe', 'main.printColor({0x0, 0x0}, {0x9f3c40, 0xc0001b6000}, 0x1f4)'],
];

/** One pod's log: `requests` request lines plus startup lines, noise and (maybe) panics. */
export function podLog(rng: Rng, b: Behaviour, requests: number, startMs: number): { text: string; panics: number } {
  const out: string[] = [`${ts(startMs, 0)} Started server on :8080`];
  let panics = 0;
  const trace = rng.pick(PANIC_TRACES);
  for (let i = 1; i <= requests; i++) {
    const color = b.color ?? rng.pick(COLORS);
    const status = rng.chance(b.errorRate) ? rng.pick([500, 500, 502, 503]) : 200;
    const ms = Math.max(0.2, rng.normal(b.latencyMs, b.latencySd));
    if (b.format === 'demo') {
      out.push(`${ts(startMs, i)} ${status} - ${color}${b.printsDelay ? ` (${(ms / 1000).toFixed(6)}s)` : ''}`);
    } else {
      const level = status >= 500 ? 'error' : 'info';
      out.push(`time=${new Date(startMs + i * 1000).toISOString()} level=${level} msg="request served" path=/color color=${color} status=${status} duration=${ms.toFixed(1)}ms request_id=${rng.hex(16)}`);
    }
    if (rng.chance(b.noiseRate)) out.push(rng.chance(0.15) ? rng.pick(RARE) : rng.pick(NOISE));
    if (rng.chance(b.panicRate)) {
      panics++;
      out.push(...trace.map((l) => (l.startsWith('http:') ? `${ts(startMs, i)} ${l}` : l)));
    }
  }
  return { text: out.join('\n') + '\n', panics };
}
