/** The compact, redacted evidence an analysis judges: per-pod counts, folded log templates, metric series. */
export type Side = 'stable' | 'canary';
export const SIDES: readonly Side[] = ['stable', 'canary'];

/** Severity of one log line; `trace` = continuation of a stack trace. */
export type LineKind = 'panic' | 'exception' | 'error' | 'warn' | 'info' | 'trace';

export interface PodEvidence {
  name: string;
  side: Side;
  /** Lines read over all containers (stack-trace continuation lines excluded). */
  lines: number;
  panic: number;
  exception: number;
  error: number;
  warn: number;
  restarts: number;
  containers: string[];
  /** Containers whose log could not be read, with the error code. */
  unreadable: string[];
}

export interface LogTemplate {
  /** The masked line: numbers, ids, timestamps replaced by <N>, <ID>, <TS>…; already redacted. */
  template: string;
  kind: LineKind;
  count: Record<Side, number>;
  pods: Record<Side, number>;
  /** One redacted, truncated example line. */
  example: string;
}

export interface MetricSeries {
  name: string;
  worse: 'higher' | 'lower';
  critical: boolean;
  tolerance: number;
  values: Record<Side, number[]>;
  /** Set when the query failed; the metric then counts as "no data". */
  error?: string;
}

export interface Target {
  namespace: string;
  /** Rollout (Argo) or Canary (Flagger) name, used for the issue fingerprint. */
  rollout: string;
  stableSelector: string;
  canarySelector: string;
}

export interface Evidence {
  target: Target;
  collectedAt: string;
  window: { tailLines: number; sinceSeconds: number };
  pods: PodEvidence[];
  templates: LogTemplate[];
  metrics: MetricSeries[];
  /** Human-readable notes about what could not be collected. */
  notes: string[];
}
