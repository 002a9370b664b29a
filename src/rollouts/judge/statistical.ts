/**
 * The statistical judge: decides alone from counts and metrics. raw = Π(1 − severity) over the
 * checks (a critical fail makes it 0); confidence comes from how much data was compared; the score
 * is raw pulled towards 0.5 by missing confidence.
 */
import type { Evidence } from '../evidence/types.js';
import { logChecks, type ScoredFinding } from './checks-logs.js';
import { metricCheck } from './checks-metrics.js';
import type { Judgement } from './types.js';

/** Lines per side at which log evidence counts as complete. */
const FULL_LINES = 300;

function dataConfidence(ev: Evidence, findings: readonly ScoredFinding[]): number {
  const lines = (side: 'stable' | 'canary') => ev.pods.filter((p) => p.side === side).reduce((a, p) => a + p.lines, 0);
  const least = Math.min(lines('stable'), lines('canary'));
  let f = Math.sqrt(Math.min(1, least / FULL_LINES));
  if (findings.some((x) => x.check.startsWith('metric:') && x.status !== 'nodata')) f = Math.min(1, f + 0.3);
  if (ev.pods.some((p) => p.unreadable.length > 0)) f *= 0.8;
  return Math.round(100 * Math.min(0.95, 0.2 + 0.75 * f));
}

export function judgeStatistically(ev: Evidence): Judgement {
  const findings = [...logChecks(ev), ...ev.metrics.map(metricCheck)];
  const failed = findings.filter((f) => f.status === 'fail');
  const criticalFail = failed.some((f) => f.critical);
  const raw = criticalFail ? 0 : findings.reduce((acc, f) => acc * (f.status === 'pass' || f.status === 'nodata' ? 1 : 1 - f.severity), 1);
  let confidence = dataConfidence(ev, findings);
  if (failed.length > 0) confidence = Math.max(confidence, criticalFail ? 95 : 85);
  const score = 0.5 + (raw - 0.5) * (confidence / 100);
  const lead = failed.find((f) => f.critical) ?? failed[0];
  const noted = findings.filter((f) => f.status === 'fail' || f.status === 'warn');
  return {
    judge: 'statistical',
    score,
    confidence,
    promote: score >= 0.5 && failed.length === 0,
    summary: failed.length > 0 ? `${failed.length} check(s) failed: ${failed.map((f) => f.check).join(', ')}` : noted.length > 0 ? `no check failed; warnings: ${noted.map((f) => f.check).join(', ')}` : 'all checks passed',
    evidence: [...noted.map((f) => `${f.check}: ${f.detail}`), ...ev.notes],
    suspectedCause: lead?.cause ?? '',
    causeKey: lead?.causeKey ?? '',
    findings: findings.map(({ check, status, critical, detail }) => ({ check, status, critical, detail })),
  };
}
