/** The bench result file (`--json FILE`). Documented in docs/bench.md; scripts outside the project read it. */
export const PHASES = ['connect_ms', 'newPage_ms', 'goto_ms', 'total_ms'] as const;
export type Phase = (typeof PHASES)[number];

export interface Stats {
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export type Scenario = 'cold' | 'warm' | 'pooled' | 'restore' | 'direct';

export interface Sample {
  backend: string;
  scenario: Scenario;
  concurrency: number;
  /** 0-based index of the measured run within its cell (warm-up runs are not recorded). */
  run: number;
  ok: boolean;
  /** Present when ok is false: a stable error code (SG_* or a client-side code). */
  error?: string;
  errorMessage?: string;
  /** Number of retries that preceded this sample (the bench never retries silently). */
  retries: number;
  phases: Partial<Record<Phase, number>>;
  state?: StateCheck;
}

export interface StateCheck {
  cookie: boolean;
  localStorage: boolean;
  memory: boolean;
  page: boolean;
}

export interface Cell {
  backend: string;
  scenario: Scenario;
  concurrency: number;
  /** Set when the scenario could not run as named, e.g. "restore=recreate" for a backend with no persistence. */
  label?: string;
  n: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  phases: Partial<Record<Phase, Stats>>;
  /** Fraction (0..1) of runs in which each kind of state survived; restore cells only. */
  state?: Record<keyof StateCheck, number>;
  /** PASS, or FAIL with the reason (all runs failed, or declared state was lost). */
  result: 'PASS' | 'FAIL';
  reason?: string;
}

export interface BenchResult {
  schemaVersion: 1;
  startedAt: string;
  machine: { cpus: number; memGiB: number; node: string; chromium: string };
  config: { runs: number; warmup: number; concurrency: number[]; protocol: 'playwright' | 'cdp'; target: string };
  cells: Cell[];
  baseline: { direct?: { total_ms: Stats }; overheadRatio?: number };
  samples: Sample[];
}
