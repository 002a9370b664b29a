/** Bench statistics: percentiles (numpy 'linear' definition), per-phase summaries, and the
 *  reduction of one cell's samples into a `Cell` with its PASS/FAIL verdict. */
import { PHASES } from '../types.js';
import { percentile } from '../../util/percentile.js';

export { percentile };
import type { Cell, Phase, Sample, Scenario, StateCheck, Stats } from '../types.js';

/** Kinds of state a restore run can check, in report order. */
export const STATE_KINDS = ['cookie', 'localStorage', 'memory', 'page'] as const satisfies ReadonlyArray<keyof StateCheck>;

export interface BuildCellOptions {
  backend: string;
  scenario: Scenario;
  concurrency: number;
  label?: string;
  /** Kinds of state the backend claims to preserve; losing any of them in an ok run fails the cell. */
  declaredState?: Array<keyof StateCheck>;
}


/** Rounds to 0.1 ms, the precision of the result file. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** p50/p95/p99/min/max/mean of `values` (any order), each rounded to 0.1. Throws when empty. */
export function summarize(values: readonly number[]): Stats {
  if (values.length === 0) throw new RangeError('summarize of an empty array');
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((acc, v) => acc + v, 0);
  return {
    p50: round1(percentile(sorted, 50)),
    p95: round1(percentile(sorted, 95)),
    p99: round1(percentile(sorted, 99)),
    min: round1(sorted[0] as number),
    max: round1(sorted[sorted.length - 1] as number),
    mean: round1(sum / sorted.length),
  };
}

/** Failed samples counted by error code (`UNKNOWN` when a failed sample carries none). */
function countErrors(samples: readonly Sample[]): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const s of samples) {
    if (s.ok) continue;
    const code = s.error ?? 'UNKNOWN';
    errors[code] = (errors[code] ?? 0) + 1;
  }
  return errors;
}

/** Stats for each phase measured by at least one ok sample. */
function phaseStats(okSamples: readonly Sample[]): Partial<Record<Phase, Stats>> {
  const out: Partial<Record<Phase, Stats>> = {};
  for (const phase of PHASES) {
    const values = okSamples.map((s) => s.phases[phase]).filter((v): v is number => Number.isFinite(v));
    if (values.length > 0) out[phase] = summarize(values);
  }
  return out;
}

/** Fraction of ok runs in which each kind of state survived (an ok run without a check counts as lost). */
function stateFractions(okSamples: readonly Sample[]): Record<keyof StateCheck, number> {
  const fraction = (kind: keyof StateCheck): number =>
    okSamples.length === 0 ? 0 : okSamples.filter((s) => s.state?.[kind] === true).length / okSamples.length;
  return { cookie: fraction('cookie'), localStorage: fraction('localStorage'), memory: fraction('memory'), page: fraction('page') };
}

/** Why the cell fails, or undefined when it passes. */
function failureReason(
  n: number,
  okSamples: readonly Sample[],
  declared: ReadonlyArray<keyof StateCheck>,
): string | undefined {
  if (n === 0) return 'no runs';
  const ok = okSamples.length;
  if (ok === 0) return `all ${n} runs failed`;
  const lost = STATE_KINDS.filter((kind) => declared.includes(kind)).flatMap((kind) => {
    const lostRuns = okSamples.filter((s) => s.state?.[kind] !== true).length;
    return lostRuns > 0 ? [`lost ${kind} in ${lostRuns}/${ok} runs`] : [];
  });
  return lost.length > 0 ? lost.join('; ') : undefined;
}

/** Reduces the samples of one (backend, scenario, concurrency) cell into its report entry. */
export function buildCell(samples: readonly Sample[], opts: BuildCellOptions): Cell {
  const okSamples = samples.filter((s) => s.ok);
  const reason = failureReason(samples.length, okSamples, opts.declaredState ?? []);
  const cell: Cell = {
    backend: opts.backend,
    scenario: opts.scenario,
    concurrency: opts.concurrency,
    ...(opts.label !== undefined ? { label: opts.label } : {}),
    n: samples.length,
    ok: okSamples.length,
    failed: samples.length - okSamples.length,
    errors: countErrors(samples),
    phases: phaseStats(okSamples),
    ...(samples.some((s) => s.state !== undefined) ? { state: stateFractions(okSamples) } : {}),
    result: reason === undefined ? 'PASS' : 'FAIL',
    ...(reason !== undefined ? { reason } : {}),
  };
  return cell;
}
