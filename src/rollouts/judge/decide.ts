/**
 * The decision: promote at score ≥ T_promote, roll back at ≤ T_rollback, Inconclusive between.
 * Fail closed: a judge that failed (error, timeout, unparsable) never lets a canary be promoted, and a
 * critical statistical failure rolls back whatever the LLM says.
 */
import type { Decision, Judgement, Verdict } from './types.js';

export interface Thresholds {
  promote: number;
  rollback: number;
}

export type JudgeMode = 'statistical' | 'llm' | 'combined';

export function verdictOf(score: number, t: Thresholds): Verdict {
  if (score >= t.promote) return 'promote';
  if (score <= t.rollback) return 'rollback';
  return 'inconclusive';
}

/** A stable key for "the same cause" from free text: lower case, digits and punctuation dropped. */
export function normalizeCause(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '').replace(/[^a-z]+/g, ' ').trim().split(' ').slice(0, 12).join(' ');
}

function failedMsg(j: Judgement): string {
  return j.failure ? `${j.judge} judge unavailable (${j.failure.code}): ${j.failure.message}` : '';
}

function single(j: Judgement, t: Thresholds, all: Judgement[]): Decision {
  const verdict = j.failure ? 'inconclusive' : verdictOf(j.score, t);
  const score = j.failure ? 0.5 : j.score;
  const causeKey = j.causeKey || normalizeCause(j.suspectedCause);
  return { verdict, score, confidence: j.failure ? 0 : j.confidence, summary: j.failure ? failedMsg(j) : j.summary, suspectedCause: j.suspectedCause, causeKey, judgements: all };
}

export function decide(mode: JudgeMode, t: Thresholds, stat: Judgement, llm?: Judgement): Decision {
  const all = llm ? [stat, llm] : [stat];
  if (mode === 'statistical' || !llm) return single(stat, t, all);
  if (mode === 'llm') return single(llm, t, all);
  const statCritical = stat.findings?.some((f) => f.critical && f.status === 'fail') ?? false;
  const cause = llm.failure ? stat.suspectedCause : llm.suspectedCause || stat.suspectedCause;
  const causeKey = stat.causeKey || normalizeCause(cause);
  if (statCritical) {
    return { verdict: 'rollback', score: stat.score, confidence: stat.confidence, summary: stat.summary + (llm.failure ? '' : ` — LLM: ${llm.summary}`), suspectedCause: stat.suspectedCause || cause, causeKey, judgements: all };
  }
  if (llm.failure) {
    const statVerdict = verdictOf(stat.score, t);
    const verdict: Verdict = statVerdict === 'rollback' ? 'rollback' : 'inconclusive';
    return { verdict, score: Math.min(stat.score, (t.promote + t.rollback) / 2), confidence: Math.round(stat.confidence / 2), summary: `${failedMsg(llm)}; statistical: ${stat.summary}`, suspectedCause: cause, causeKey, judgements: all };
  }
  const score = (stat.score + llm.score) / 2;
  let verdict = verdictOf(score, t);
  // Disagreement never promotes: both judges must lean towards promotion.
  if (verdict === 'promote' && (stat.score < 0.5 || llm.score < 0.5)) verdict = 'inconclusive';
  return { verdict, score, confidence: Math.round((stat.confidence + llm.confidence) / 2), summary: `${llm.summary} (statistical: ${stat.summary})`, suspectedCause: cause, causeKey, judgements: all };
}
