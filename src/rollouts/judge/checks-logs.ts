/** Log-based statistical checks: panics, restarts, error / exception rates (pooled and per pod), new templates. */
import { newInCanary } from '../evidence/fold.js';
import { isErrorKind } from '../evidence/classify.js';
import type { Evidence, PodEvidence, Side } from '../evidence/types.js';
import { proportionTest } from '../stats/normal.js';
import type { Finding } from './types.js';

export interface ScoredFinding extends Finding {
  /** How much a fail (or a warn) lowers the score: raw score = Π(1 − severity). */
  severity: number;
  cause?: string;
  causeKey?: string;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const sum = (pods: readonly PodEvidence[], f: (p: PodEvidence) => number) => pods.reduce((acc, p) => acc + f(p), 0);
const errorsOf = (p: PodEvidence) => p.error + p.exception + p.panic;

/** Significance level and minimum effect for rate increases. */
const ALPHA = 0.01;
const rateRise = (stable: number, canary: number) => canary > stable * 1.5 + 0.005;

export function logChecks(ev: Evidence): ScoredFinding[] {
  const side = (s: Side) => ev.pods.filter((p) => p.side === s);
  const stable = side('stable');
  const canary = side('canary');
  const lines = { stable: sum(stable, (p) => p.lines), canary: sum(canary, (p) => p.lines) };
  const out: ScoredFinding[] = [];
  const fresh = newInCanary(ev.templates);
  const freshBad = fresh.filter((t) => isErrorKind(t.kind));
  const top = (kinds: string[]) => freshBad.find((t) => kinds.includes(t.kind)) ?? ev.templates.find((t) => kinds.includes(t.kind) && t.count.canary > 0);

  const panics = { stable: sum(stable, (p) => p.panic), canary: sum(canary, (p) => p.panic) };
  const panicTest = proportionTest(panics.stable, Math.max(lines.stable, 1), panics.canary, Math.max(lines.canary, 1));
  const panicPods = canary.filter((p) => p.panic > 0).length;
  if (panics.canary > 0 && (panics.stable === 0 || (panicTest.pHigher < ALPHA && rateRise(panicTest.rateA, panicTest.rateB)))) {
    const t = top(['panic']);
    out.push({ check: 'panics', status: 'fail', critical: true, severity: 1, detail: `${panics.canary} panic/fatal line(s) in ${panicPods}/${canary.length} canary pod(s), ${panics.stable} in stable${t ? `: ${t.example}` : ''}`, cause: t ? `crash in canary: ${t.example}` : 'canary pods crash', causeKey: t ? t.template : 'check:panics' });
  } else if (panics.canary > 0) {
    out.push({ check: 'panics', status: 'warn', critical: true, severity: 0.1, detail: `panics on both sides (stable ${panics.stable}, canary ${panics.canary})` });
  } else out.push({ check: 'panics', status: 'pass', critical: true, severity: 0, detail: 'no panics in canary' });

  const restarts = { stable: sum(stable, (p) => p.restarts), canary: sum(canary, (p) => p.restarts) };
  const perPod = (n: number, pods: number) => (pods > 0 ? n / pods : 0);
  if (restarts.canary > 0 && perPod(restarts.canary, canary.length) > perPod(restarts.stable, stable.length) + 0.5) {
    out.push({ check: 'restarts', status: 'fail', critical: false, severity: 0.6, detail: `canary containers restarted ${restarts.canary}× over ${canary.length} pod(s), stable ${restarts.stable}× over ${stable.length}`, cause: 'canary containers restart', causeKey: 'check:restarts' });
  } else out.push({ check: 'restarts', status: 'pass', critical: false, severity: 0, detail: `restarts stable ${restarts.stable}, canary ${restarts.canary}` });

  if (stable.length === 0 || lines.stable === 0 || lines.canary === 0) {
    out.push({ check: 'errorRate', status: 'nodata', critical: false, severity: 0, detail: `lines read: stable ${lines.stable}, canary ${lines.canary}` });
  } else {
    for (const [check, hits, severity] of [['errorRate', errorsOf, 0.7], ['exceptionRate', (p: PodEvidence) => p.exception + p.panic, 0.6]] as const) {
      const t = proportionTest(sum(stable, hits), lines.stable, sum(canary, hits), lines.canary);
      const detail = `stable ${pct(t.rateA)}, canary ${pct(t.rateB)} (p=${t.pHigher.toExponential(1)})`;
      const bad = top(check === 'errorRate' ? ['error', 'exception', 'panic'] : ['exception', 'panic']);
      if (t.pHigher < ALPHA && rateRise(t.rateA, t.rateB)) {
        out.push({ check, status: 'fail', critical: false, severity, detail, cause: `${check === 'errorRate' ? 'error' : 'exception'} rate rose from ${pct(t.rateA)} to ${pct(t.rateB)}${bad ? `: ${bad.example}` : ''}`, causeKey: bad ? bad.template : `check:${check}` });
      } else if (t.pHigher < 0.05 && t.rateB > t.rateA * 1.2) out.push({ check, status: 'warn', critical: false, severity: 0.1, detail });
      else out.push({ check, status: 'pass', critical: false, severity: 0, detail });
    }
    const stableMax = Math.max(...stable.filter((p) => p.lines >= 20).map((p) => errorsOf(p) / p.lines), 0);
    const outliers = canary.filter((p) => p.lines >= 20 && errorsOf(p) / p.lines > stableMax * 2 + 0.02);
    out.push(
      outliers.length > 0
        ? { check: 'podErrorRate', status: 'fail', critical: false, severity: 0.4, detail: `canary pod(s) above every stable pod (max ${pct(stableMax)}): ${outliers.map((p) => `${p.name} ${pct(errorsOf(p) / p.lines)}`).join(', ')}`, cause: 'error rate of individual canary pods', causeKey: 'check:podErrorRate' }
        : { check: 'podErrorRate', status: 'pass', critical: false, severity: 0, detail: `no canary pod above stable's worst (${pct(stableMax)})` },
    );
  }

  // A template absent from stable is significant when stable, with its share of the lines, would
  // almost surely have shown it too under equal rates: P(all k in canary) = share^k (Bonferroni over m).
  const stableShare = lines.stable / Math.max(1, lines.stable + lines.canary);
  const significant = freshBad.filter((t) => t.count.canary >= 3 && stableShare ** t.count.canary < 0.01 / Math.max(1, freshBad.length));
  const freshBadCount = freshBad.reduce((acc, t) => acc + t.count.canary, 0);
  if (lines.stable === 0) {
    out.push({ check: 'newErrorTemplates', status: 'nodata', critical: false, severity: 0, detail: 'no stable lines to compare with' });
  } else if (significant.length > 0) {
    const t = significant[0];
    out.push({ check: 'newErrorTemplates', status: 'fail', critical: false, severity: 0.6, detail: `${significant.length} error template(s) only in canary: ${significant.slice(0, 3).map((x) => `${x.example} (${x.count.canary}×)`).join(' | ')}`, cause: t ? `new error in canary: ${t.example}` : 'new errors in canary', causeKey: t ? t.template : 'check:newErrorTemplates' });
  } else if (freshBadCount >= 3) {
    out.push({ check: 'newErrorTemplates', status: 'warn', critical: false, severity: 0.05, detail: `${freshBadCount} scattered error line(s) only in canary, none significant` });
  } else out.push({ check: 'newErrorTemplates', status: 'pass', critical: false, severity: 0, detail: `${freshBadCount} error line(s) only in canary` });

  const freshInfo = fresh.filter((t) => !isErrorKind(t.kind)).reduce((acc, t) => acc + t.count.canary, 0);
  const share = lines.canary > 0 ? freshInfo / lines.canary : 0;
  out.push(share > 0.2 ? { check: 'newTemplates', status: 'warn', critical: false, severity: 0.05, detail: `${pct(share)} of canary lines are new non-error templates (behaviour change)` } : { check: 'newTemplates', status: 'pass', critical: false, severity: 0, detail: `${pct(share)} of canary lines are new templates` });
  return out;
}
