/** Assembling the result file: cells from samples, the direct baseline and the gateway overhead ratio. */
import os from 'node:os';
import { buildCell, round1 } from './report/stats.js';
import type { CellMeta } from './cell.js';
import type { BenchOptions } from './options.js';
import type { BenchResult, Cell, Sample, Scenario, StateCheck, TargetInfo } from './types.js';

export const OVERHEAD_DEFINITION =
  'overheadRatio = gateway warm total_ms p50 / direct total_ms p50, both at the lowest concurrency level measured by both; ' +
  '1.00 means no overhead. baseline.backend names the gateway backend used (the first one measured).';

export const METHOD: Record<Scenario, string> = {
  cold: 'fresh tenant per client per run (sandbox provisioning included); its sandbox is released after the run (embedded only).',
  warm: 'one tenant per client slot, provisioned before the warm-up; every run is a new connection to its running sandbox.',
  pooled: 'fresh tenant per client per run against a gateway whose warm pool holds ≥ concurrency sandboxes; after each run the tenants are released and the bench waits until the backend reports its pool full again (remote gateways: poolSettleMsPerSandbox × concurrency).',
  restore: 'per client per run: a fresh tenant writes a cookie, a localStorage entry and window.__sg and keeps the page open; the sandbox is suspended through the gateway (restore=suspend; the reconnect resumes it transparently, so connect_ms includes the resume) or released (restore=recreate); the timed sample reconnects and the state check reports what survived.',
  direct: 'the same client straight to sandbox runtimes (one per client slot), no gateway: the baseline for gateway overhead.',
};

export interface CellRecord {
  meta: CellMeta;
  declaredState?: Array<keyof StateCheck>;
  samples: Sample[];
  /** Overrides the verdict, e.g. a scenario the backend cannot run. */
  reason?: string;
  /** Pooled cells on an embedded gateway: measured claims that provisioned instead of claiming. */
  poolMisses?: number;
}

export function toCell(rec: CellRecord): Cell {
  const cell = buildCell(rec.samples, { ...rec.meta, ...(rec.declaredState ? { declaredState: rec.declaredState } : {}) });
  return {
    ...cell,
    ...(rec.declaredState ? { declaredState: rec.declaredState } : {}),
    ...(rec.poolMisses !== undefined ? { poolMisses: rec.poolMisses } : {}),
    ...(rec.reason !== undefined ? { result: 'FAIL' as const, reason: rec.reason } : {}),
  };
}

/** The direct baseline and the gateway overhead, per OVERHEAD_DEFINITION. */
export function computeBaseline(cells: readonly Cell[]): BenchResult['baseline'] {
  const direct = cells.filter((c) => c.scenario === 'direct' && c.phases.total_ms).sort((a, b) => a.concurrency - b.concurrency);
  if (direct.length === 0) return { definition: OVERHEAD_DEFINITION };
  const warm = cells.filter((c) => c.scenario === 'warm' && c.phases.total_ms);
  const level = direct.find((d) => warm.some((w) => w.concurrency === d.concurrency));
  const base = level ?? (direct[0] as Cell);
  const baseTotal = base.phases.total_ms;
  if (!baseTotal) return { definition: OVERHEAD_DEFINITION };
  const out: BenchResult['baseline'] = { direct: { total_ms: baseTotal }, concurrency: base.concurrency, definition: OVERHEAD_DEFINITION };
  if (!level || baseTotal.p50 <= 0) return out;
  const byBackend: Record<string, number> = {};
  for (const w of warm) {
    const p50 = w.phases.total_ms?.p50;
    if (w.concurrency === level.concurrency && p50 !== undefined && byBackend[w.backend] === undefined) {
      byBackend[w.backend] = Math.round((p50 / baseTotal.p50) * 1000) / 1000;
    }
  }
  const first = Object.keys(byBackend)[0];
  if (first === undefined) return out;
  return { ...out, overheadRatio: byBackend[first] as number, backend: first, overheadByBackend: byBackend };
}

export function targetInfo(opts: BenchOptions): TargetInfo {
  const g = opts.gateway;
  if (g.kind === 'embedded') return { kind: 'embedded', backends: [...g.backends], identity: 'header', identityHeader: 'X-Sandgate-Tenant', warmPool: g.warmPool };
  return { kind: 'remote', gateway: g.url, identity: g.identity, ...(g.identity === 'header' ? { identityHeader: g.identityHeader } : {}) };
}

export interface AssembleInput {
  opts: BenchOptions;
  target: string;
  startedAt: Date;
  finishedAt: Date;
  chromium: string;
  records: CellRecord[];
  /** 1-minute load average at the start (the end is read here). */
  loadAvgStart: number;
}

export function assembleResult(input: AssembleInput): BenchResult {
  const { opts } = input;
  const cells = input.records.map(toCell);
  return {
    schemaVersion: 1,
    startedAt: input.startedAt.toISOString(),
    machine: {
      cpus: os.availableParallelism(),
      memGiB: round1(os.totalmem() / 2 ** 30),
      node: process.version,
      chromium: input.chromium,
      loadAvg1: { start: round1(input.loadAvgStart), end: round1(os.loadavg()[0] ?? 0) },
    },
    config: {
      runs: opts.runs,
      warmup: opts.warmup,
      concurrency: [...opts.concurrency],
      protocol: opts.protocol,
      target: input.target,
      scenarios: [...opts.scenarios],
      gateway: targetInfo(opts),
      poolSettleMsPerSandbox: opts.poolSettleMs,
      timeoutMs: opts.timeoutMs,
      restoreMode: opts.restoreMode,
      method: Object.fromEntries(opts.scenarios.map((s) => [s, METHOD[s]])),
    },
    cells,
    baseline: computeBaseline(cells),
    samples: input.records.flatMap((r) => r.samples),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
  };
}
