/**
 * The labelled corpus of synthetic rollouts: healthy; panics as in the seed demo (random colours,
 * index-out-of-range crash or a recovered nil dereference); latency regression; error-rate rise;
 * noisy-but-healthy; a colour change that extraPrompt says to ignore. Deterministic per seed.
 */
import type { MemoryPod } from '../kube/memory.js';
import { podLog, type Behaviour } from './lines.js';
import { Rng } from './rng.js';

export const CASE_KINDS = ['healthy', 'panic', 'latency', 'errorRise', 'noisy', 'colorChange'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export interface CorpusCase {
  id: string;
  kind: CaseKind;
  expected: 'promote' | 'rollback';
  description: string;
  extraPrompt?: string;
  /** rollouts-pod-template-hash of each side. */
  hashes: { stable: string; canary: string };
  pods: MemoryPod[];
  /** Prometheus-like samples per metric name (errorRate, latencyP95) when the case has metrics. */
  metrics?: Record<string, { stable: number[]; canary: number[] }>;
}

const START = Date.UTC(2025, 0, 15, 10, 0, 0);
const base: Behaviour = { format: 'demo', color: 'blue', errorRate: 0.003, latencyMs: 40, latencySd: 8, panicRate: 0, noiseRate: 0.02, printsDelay: false };

function side(rng: Rng, hash: string, count: number, b: Behaviour, crash: boolean, traffic: [number, number]): MemoryPod[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `demo-${hash}-${rng.hex(5)}`;
    const { text, panics } = podLog(rng, b, rng.int(...traffic), START + i * 7000);
    const labels = { app: 'rollouts-demo', 'rollouts-pod-template-hash': hash };
    if (!crash || panics === 0) return { name, labels, logs: { app: text } };
    // An unrecovered panic kills the container: the crash is in the previous instance's log.
    const fresh = podLog(rng, { ...b, panicRate: 0 }, rng.int(20, 60), START + 600_000).text;
    return { name, labels, logs: { app: fresh }, previous: { app: text }, restarts: { app: Math.min(5, panics) } };
  });
}

function series(rng: Rng, n: number, mean: number, sd: number): number[] {
  return Array.from({ length: n }, () => Math.max(0, rng.normal(mean, sd)));
}

function metricsFor(rng: Rng, s: Behaviour, c: Behaviour): CorpusCase['metrics'] {
  const err = (b: Behaviour) => series(rng, 30, b.errorRate + b.panicRate, Math.max(0.0005, (b.errorRate + b.panicRate) * 0.3));
  const lat = (b: Behaviour) => series(rng, 30, (b.latencyMs * 1.8) / 1000, (b.latencySd * 1.8) / 1000);
  return { errorRate: { stable: err(s), canary: err(c) }, latencyP95: { stable: lat(s), canary: lat(c) } };
}

function makeCase(kind: CaseKind, variant: number): CorpusCase {
  const rng = new Rng(1000 * (CASE_KINDS.indexOf(kind) + 1) + variant);
  const format = variant % 2 === 0 ? 'demo' : 'logfmt';
  const stable: Behaviour = { ...base, format };
  let canary: Behaviour = { ...stable };
  let crash = false;
  let description = '';
  let extraPrompt: string | undefined;
  switch (kind) {
    case 'healthy':
      description = 'new build, same behaviour';
      break;
    case 'panic':
      canary = { ...stable, format: 'demo', color: undefined, errorRate: 0.04, panicRate: [0.01, 0.03, 0.05][variant % 3] ?? 0.02 };
      crash = variant % 2 === 0;
      description = `seed demo bad build: random colours and ${crash ? 'crashing' : 'recovered'} panics`;
      break;
    case 'latency':
      canary = { ...stable, latencyMs: stable.latencyMs * ([2.5, 3, 4, 6, 2, 1.6, 2.2, 3.5][variant] ?? 3), latencySd: stable.latencySd * 2 };
      if (variant === 4) canary = { ...canary, format: 'demo', color: 'yellow', printsDelay: true };
      description = `latency ×${(canary.latencyMs / stable.latencyMs).toFixed(1)}`;
      break;
    case 'errorRise':
      canary = { ...stable, errorRate: [0.08, 0.15, 0.04, 0.1, 0.06, 0.025, 0.03, 0.05][variant] ?? 0.1 };
      description = `error rate ${stable.errorRate} → ${canary.errorRate}`;
      break;
    case 'noisy':
      stable.errorRate = 0.02;
      stable.noiseRate = 0.15;
      canary = { ...stable };
      description = 'both sides noisy (warnings, timeouts, rare errors) at the same rates';
      break;
    case 'colorChange':
      canary = { ...stable, color: 'green' };
      extraPrompt = 'Ignore color changes.';
      description = 'blue → green, otherwise identical';
      break;
  }
  const hashes = { stable: `5d${variant}f${CASE_KINDS.indexOf(kind)}b9c`, canary: `7a${variant}c${CASE_KINDS.indexOf(kind)}e4d` };
  // Variant 6 is a low-traffic rollout: few lines per pod make every judgement harder.
  const traffic: [number, number] = variant === 6 ? [50, 100] : [150, 400];
  const pods = [...side(rng, hashes.stable, rng.int(2, 4), stable, false, traffic), ...side(rng, hashes.canary, rng.int(1, 2), canary, crash, traffic)];
  // Half of the cases (and every latency case without printed durations) come with Prometheus metrics.
  const needsMetrics = kind === 'latency' && (format === 'demo' || canary.printsDelay);
  const metrics = needsMetrics || variant % 2 === 1 ? metricsFor(rng, stable, canary) : undefined;
  const expected = kind === 'healthy' || kind === 'noisy' || kind === 'colorChange' ? 'promote' : 'rollback';
  return { id: `${kind}-${variant}`, kind, expected, description, hashes, pods, ...(metrics ? { metrics } : {}), ...(extraPrompt ? { extraPrompt } : {}) };
}

export function generateCorpus(variants = 8): CorpusCase[] {
  return CASE_KINDS.flatMap((kind) => Array.from({ length: variants }, (_, v) => makeCase(kind, v)));
}
