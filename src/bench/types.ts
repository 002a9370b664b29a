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
  /** 0-based client slot within a concurrent run (0..concurrency-1). */
  client?: number;
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
  /** Pooled cells on an embedded gateway: measured claims that found the pool empty and provisioned. */
  poolMisses?: number;
  /** Restore cells: the kinds of state the backend declares it keeps (from its capabilities). */
  declaredState?: Array<keyof StateCheck>;
}

/** How the bench reached the gateway(s) it measured. */
export interface TargetInfo {
  kind: 'embedded' | 'remote';
  /** Embedded: the backends, one embedded gateway each. */
  backends?: string[];
  /** Remote: the gateway URL (no credentials). */
  gateway?: string;
  identity: 'header' | 'path' | 'token';
  identityHeader?: string;
  /** Embedded: warm pool size of the separate gateway used for pooled cells. */
  warmPool?: number;
}

export interface BenchResult {
  schemaVersion: 1;
  startedAt: string;
  machine: {
    cpus: number;
    memGiB: number;
    node: string;
    chromium: string;
    /** 1-minute load average when the bench started and finished: above `cpus`, other work competed for CPU. */
    loadAvg1?: { start: number; end: number };
  };
  config: {
    runs: number;
    warmup: number;
    concurrency: number[];
    protocol: 'playwright' | 'cdp';
    target: string;
    scenarios?: Scenario[];
    gateway?: TargetInfo;
    /** Pooled cells: wait after each run's release, per claimed sandbox, for the pool to refill. */
    poolSettleMsPerSandbox?: number;
    /** Per-sample client deadline (connect + newPage + goto), ms. */
    timeoutMs?: number;
    /** restore cells: `auto` (suspend when the backend can), `suspend` or `recreate`; each cell's label says which ran. */
    restoreMode?: 'auto' | 'suspend' | 'recreate';
    /** How each scenario was run, one sentence each. */
    method?: Partial<Record<Scenario, string>>;
  };
  cells: Cell[];
  baseline: {
    direct?: { total_ms: Stats };
    overheadRatio?: number;
    /** Concurrency level at which the ratio was taken (the lowest level measured by both). */
    concurrency?: number;
    /** Backend whose warm cell gives overheadRatio (the first one measured). */
    backend?: string;
    /** The ratio for every backend that has a warm cell at that level. */
    overheadByBackend?: Record<string, number>;
    definition?: string;
  };
  samples: Sample[];
  finishedAt?: string;
  durationMs?: number;
}
