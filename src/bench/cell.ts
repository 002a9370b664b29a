/**
 * The loop every cell shares: setup, warm-up runs (discarded), measured runs (each one `concurrency`
 * clients at once), teardown, with one progress line per run on stderr. A failure never aborts the
 * cell and is never retried: it becomes a failed sample with its code.
 */
import { errorCode, errorMessage } from './error-code.js';
import type { Phase, Sample, Scenario, StateCheck } from './types.js';

/** What one client's part of one run produced. */
export interface Measured {
  ok: boolean;
  phases: Partial<Record<Phase, number>>;
  error?: string;
  errorMessage?: string;
  state?: StateCheck;
}

export interface CellMeta {
  backend: string;
  scenario: Scenario;
  concurrency: number;
  label?: string;
}

export interface CellPlan extends CellMeta {
  setup?(): Promise<void>;
  /** Untimed work before run `i` (warm-up runs count), for all slots at once. */
  prepare?(i: number): Promise<void>;
  /** The timed part of run `i` for client `slot`; must not throw. */
  sample(slot: number, i: number): Promise<Measured>;
  /** A note for run `i`'s progress line (e.g. pool misses). */
  runNote?(i: number): string | undefined;
  /** Untimed work after run `i`: releasing tenants, waiting for a pool to refill. */
  afterRun?(i: number): Promise<void>;
  teardown?(): Promise<void>;
}

export interface LoopOptions {
  runs: number;
  warmup: number;
  progress(line: string): void;
  /** Checked before every run: an aborted bench stops the cell (its teardown still runs). */
  signal?: AbortSignal;
}

/** A failed Measured from anything thrown. */
export function failed(err: unknown, context?: string): Measured {
  const message = errorMessage(err);
  return { ok: false, phases: {}, error: errorCode(err), errorMessage: context ? `${context}: ${message}` : message };
}

function record(meta: CellMeta, run: number, client: number, m: Measured): Sample {
  return {
    backend: meta.backend,
    scenario: meta.scenario,
    concurrency: meta.concurrency,
    run,
    client,
    ok: m.ok,
    ...(m.error !== undefined ? { error: m.error } : {}),
    ...(m.errorMessage !== undefined ? { errorMessage: m.errorMessage } : {}),
    retries: 0,
    phases: m.phases,
    ...(m.state !== undefined ? { state: m.state } : {}),
  };
}

/** Every measured sample of a cell that could not start, failed with the same cause. */
export function failAll(meta: CellMeta, runs: number, err: unknown, context: string): Sample[] {
  const m = failed(err, context);
  return Array.from({ length: runs * meta.concurrency }, (_, k) => record(meta, Math.floor(k / meta.concurrency), k % meta.concurrency, m));
}

export function cellName(meta: CellMeta): string {
  return `${meta.backend} ${meta.scenario}${meta.label ? ` (${meta.label})` : ''} c=${meta.concurrency}`;
}

function describe(results: readonly Measured[]): string {
  const ok = results.filter((m) => m.ok);
  const errors = new Map<string, number>();
  for (const m of results) if (!m.ok) errors.set(m.error ?? 'UNKNOWN', (errors.get(m.error ?? 'UNKNOWN') ?? 0) + 1);
  const fails = [...errors].map(([code, n]) => `FAIL ${code}${n > 1 ? ` ×${n}` : ''}`).join(', ');
  const totals = ok.map((m) => m.phases.total_ms ?? 0).sort((a, b) => a - b);
  let timing = '';
  if (results.length === 1 && ok[0]) {
    const p = ok[0].phases;
    timing = `${p.total_ms?.toFixed(1)} ms (connect ${p.connect_ms?.toFixed(1)} · newPage ${p.newPage_ms?.toFixed(1)} · goto ${p.goto_ms?.toFixed(1)})`;
  } else if (totals.length > 0) {
    timing = `${ok.length}/${results.length} ok, total median ${(totals[Math.floor((totals.length - 1) / 2)] ?? 0).toFixed(1)} max ${(totals.at(-1) ?? 0).toFixed(1)} ms`;
  }
  return [timing, fails].filter(Boolean).join(' ');
}

/** Runs the plan; returns the measured samples (warm-up runs are not recorded). */
export async function runCell(plan: CellPlan, opts: LoopOptions): Promise<Sample[]> {
  const name = cellName(plan);
  const samples: Sample[] = [];
  try {
    await plan.setup?.();
  } catch (err) {
    opts.progress(`[${name}] setup failed: ${errorCode(err)} ${errorMessage(err)}`);
    await plan.teardown?.().catch(() => undefined);
    return failAll(plan, opts.runs, err, 'setup');
  }
  try {
    const slots = Array.from({ length: plan.concurrency }, (_, slot) => slot);
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      if (opts.signal?.aborted) break;
      const measured = i >= opts.warmup;
      const prepared = await plan.prepare?.(i).then(() => undefined, (err: unknown) => failed(err, 'prepare'));
      const results = prepared ? slots.map(() => prepared) : await Promise.all(slots.map((slot) => plan.sample(slot, i)));
      if (measured) results.forEach((m, slot) => samples.push(record(plan, i - opts.warmup, slot, m)));
      const which = measured ? `run ${i - opts.warmup + 1}/${opts.runs}` : `warm-up ${i + 1}/${opts.warmup}`;
      const note = plan.runNote?.(i);
      opts.progress(`[${name}] ${which} ${describe(results)}${note ? ` (${note})` : ''}`);
      await plan.afterRun?.(i).catch((err: unknown) => opts.progress(`[${name}] after run: ${errorCode(err)} ${errorMessage(err)}`));
    }
  } finally {
    await plan.teardown?.().catch((err: unknown) => opts.progress(`[${name}] teardown failed: ${errorMessage(err)}`));
  }
  return samples;
}
