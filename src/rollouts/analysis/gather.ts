/** Builds the Evidence of one target: logs of every pod and container, then the optional metrics. */
import type { MetricSpec } from '../config/schema.js';
import { collectLogs, type CollectOptions } from '../evidence/collect.js';
import { MIN_DURATION_SAMPLES } from '../evidence/durations.js';
import { collectMetrics, type MetricsSource } from '../evidence/prometheus.js';
import type { Evidence, Side, Target } from '../evidence/types.js';
import type { RolloutsKube } from '../kube/types.js';

export interface GatherOptions extends CollectOptions {
  metrics: readonly MetricSpec[];
  stepSeconds: number;
  now: () => number;
}

export async function gatherEvidence(kube: RolloutsKube, metrics: MetricsSource | undefined, target: Target, hashes: Record<Side, string>, o: GatherOptions): Promise<Evidence> {
  const logs = await collectLogs(kube, target, o);
  const end = o.now();
  const window = { startMs: end - (o.sinceSeconds > 0 ? o.sinceSeconds : 900) * 1000, endMs: end, stepSeconds: Math.max(1, o.stepSeconds) };
  const series = metrics && o.metrics.length > 0 ? await collectMetrics(metrics, o.metrics, target, logs.pods, window, hashes) : [];
  if (Math.min(logs.durations.stable.length, logs.durations.canary.length) >= MIN_DURATION_SAMPLES) {
    series.push({ name: 'logLatency', worse: 'higher', critical: false, tolerance: 0.25, values: logs.durations });
  }
  const notes = [...logs.notes, ...series.filter((s) => s.error).map((s) => `metric ${s.name}: ${s.error ?? ''}`)];
  return {
    target,
    collectedAt: new Date(end).toISOString(),
    window: { tailLines: o.tailLines, sinceSeconds: o.sinceSeconds },
    pods: logs.pods,
    templates: logs.templates,
    metrics: series,
    notes,
  };
}
