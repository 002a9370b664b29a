/** What the integrations answer: small JSON views of a verdict (never the evidence itself). */
import type { AnalysisResult } from '../analysis/analyzer.js';
import type { Decision, LlmVerdict } from '../judge/types.js';

export const PHASE = { promote: 'Successful', rollback: 'Failed', inconclusive: 'Inconclusive' } as const;

export function verdictView(key: string, r: AnalysisResult): Record<string, unknown> {
  const d = r.decision;
  return {
    ready: true,
    key,
    verdict: d.verdict,
    phase: PHASE[d.verdict],
    score: Math.round(d.score * 1000) / 1000,
    confidence: d.confidence,
    summary: d.summary,
    suspectedCause: d.suspectedCause,
    judges: d.judgements.map((j) => ({ judge: j.judge, score: Math.round(j.score * 1000) / 1000, confidence: j.confidence, ...(j.failure ? { failure: j.failure.code } : {}) })),
    ...(r.heal ? { heal: { action: r.heal.action, ...(r.heal.issue ? { issue: r.heal.issue.url } : {}) } } : {}),
  };
}

/** The documented not-ready value: no `verdict` (and no `score`) field, so a jsonPath on them finds nothing. */
export function pendingView(key: string, startedAt: number, now: number): Record<string, unknown> {
  return { ready: false, key, phase: 'Running', elapsedSeconds: Math.round((now - startedAt) / 1000), message: 'analysis running; ask again' };
}

/** A decision as the verdict JSON an LLM would answer (for A2A callers that delegate their judgement). */
export function asLlmVerdict(d: Decision): LlmVerdict & { verdict: string; score: number } {
  const promote = d.verdict === 'promote';
  const lean = promote ? d.score - 0.5 : d.verdict === 'rollback' ? 0.5 - d.score : 0;
  return {
    promote,
    confidence: Math.max(0, Math.min(100, Math.round(lean * 200))),
    summary: d.summary,
    evidence: d.judgements.flatMap((j) => j.evidence).slice(0, 20),
    suspectedCause: d.suspectedCause,
    verdict: d.verdict,
    score: Math.round(d.score * 1000) / 1000,
  };
}
