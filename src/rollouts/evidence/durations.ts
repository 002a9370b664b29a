/**
 * Request durations printed in log lines ("took 12ms", "duration=1.2s", "latency: 340µs",
 * "(2.000000s)") give a latency comparison even without Prometheus.
 */
const DURATION = /(?:\b(?:took|latency|duration|elapsed|response_time|rt)["']?\s*[=:]?\s*["']?|\()(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)\b/i;
const TO_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000 };

export function durationMs(line: string): number | undefined {
  const m = DURATION.exec(line);
  if (!m) return undefined;
  const value = Number(m[1]) * (TO_MS[(m[2] ?? 'ms').toLowerCase()] ?? 1);
  return Number.isFinite(value) ? value : undefined;
}

/** Samples kept per side; enough for Mann-Whitney, bounded memory. */
export const MAX_DURATION_SAMPLES = 5000;
/** Fewer samples on either side than this and the log latency is not compared. */
export const MIN_DURATION_SAMPLES = 20;
