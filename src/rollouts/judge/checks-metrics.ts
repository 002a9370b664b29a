/**
 * Metric checks, Kayenta style: Mann-Whitney U per metric at 98 % confidence plus a relative
 * tolerance on the medians; High/Low/Pass; a critical metric that fails decides alone.
 */
import type { MetricSeries } from '../evidence/types.js';
import { mannWhitney } from '../stats/mann-whitney.js';
import { median } from '../stats/normal.js';
import type { ScoredFinding } from './checks-logs.js';

export const METRIC_ALPHA = 0.02;
export const MIN_SAMPLES = 3;

const fmt = (x: number) => (Math.abs(x) >= 100 || x === 0 ? x.toFixed(0) : x.toPrecision(3));

export function metricCheck(m: MetricSeries): ScoredFinding {
  const check = `metric:${m.name}`;
  const { stable, canary } = m.values;
  if (m.error || stable.length < MIN_SAMPLES || canary.length < MIN_SAMPLES) {
    return { check, status: 'nodata', critical: m.critical, severity: 0, detail: m.error ?? `samples stable ${stable.length}, canary ${canary.length}` };
  }
  const test = mannWhitney(stable, canary);
  const ms = median(stable);
  const mc = median(canary);
  const scale = Math.max(Math.abs(ms), 1e-9);
  const change = (mc - ms) / scale;
  const worse = m.worse === 'higher' ? test.pGreater < METRIC_ALPHA && change > m.tolerance : test.pLess < METRIC_ALPHA && -change > m.tolerance;
  const p = m.worse === 'higher' ? test.pGreater : test.pLess;
  const detail = `median stable ${fmt(ms)}, canary ${fmt(mc)} (${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)} %, Mann-Whitney p=${p.toExponential(1)}, n=${stable.length}/${canary.length})`;
  if (worse) {
    return { check, status: 'fail', critical: m.critical, severity: m.critical ? 1 : 0.7, detail: `${m.name} worse in canary: ${detail}`, cause: `${m.name} regressed: ${detail}`, causeKey: check };
  }
  return { check, status: 'pass', critical: m.critical, severity: 0, detail };
}
