/** Hand-made Evidence for judge tests. */
import { emptyPod } from '../evidence/fold.js';
import type { Evidence, LogTemplate, MetricSeries, PodEvidence, Side } from '../evidence/types.js';

export function pod(side: Side, name: string, counts: Partial<Omit<PodEvidence, 'name' | 'side'>> = {}): PodEvidence {
  return { ...emptyPod(name, side), lines: 500, ...counts };
}

export function template(text: string, kind: LogTemplate['kind'], stable: number, canary: number): LogTemplate {
  return { template: text, kind, count: { stable, canary }, pods: { stable: stable > 0 ? 1 : 0, canary: canary > 0 ? 1 : 0 }, example: text };
}

export function metric(name: string, stable: number[], canary: number[], o: Partial<MetricSeries> = {}): MetricSeries {
  return { name, worse: 'higher', critical: false, tolerance: 0.1, values: { stable, canary }, ...o };
}

export function evidence(o: Partial<Evidence> = {}): Evidence {
  return {
    target: { namespace: 'default', rollout: 'demo', stableSelector: 'h=s', canarySelector: 'h=c' },
    collectedAt: '2025-01-15T10:15:00.000Z',
    window: { tailLines: 2000, sinceSeconds: 900 },
    pods: [pod('stable', 's-1'), pod('stable', 's-2'), pod('canary', 'c-1')],
    templates: [template('<TS> 2xx - blue', 'info', 1000, 500)],
    metrics: [],
    notes: [],
    ...o,
  };
}
