/**
 * The LLM judge: compact evidence → provider (schema-enforced where supported) → parsed verdict.
 * Every failure (error, timeout, unparsable answer) becomes a Judgement with `failure`, which never promotes.
 */
import { RolloutError, toRolloutError } from '../errors.js';
import { isErrorKind } from '../evidence/classify.js';
import { newInCanary } from '../evidence/fold.js';
import type { Evidence } from '../evidence/types.js';
import { withRetry, type RetryOptions } from '../llm/retry.js';
import type { LlmClient } from '../llm/types.js';
import { normalizeCause } from './decide.js';
import { SYSTEM_PROMPT, userPrompt } from './prompt.js';
import type { Judgement, LlmVerdict } from './types.js';
import { VERDICT_SCHEMA, parseVerdict } from './verdict-schema.js';

export interface LlmJudgeOptions {
  extraPrompt: string;
  maxEvidenceChars: number;
  retry: Omit<RetryOptions, 'signal'>;
  signal?: AbortSignal;
}

export function judgementFromVerdict(v: LlmVerdict, judge: 'llm' = 'llm'): Judgement {
  const score = v.promote ? 0.5 + v.confidence / 200 : 0.5 - v.confidence / 200;
  return { judge, score, confidence: v.confidence, promote: v.promote, summary: v.summary, evidence: v.evidence, suspectedCause: v.suspectedCause, causeKey: normalizeCause(v.suspectedCause) };
}

export function failedJudgement(err: unknown): Judgement {
  const e = toRolloutError(err, 'SG_ROLLOUT_LLM_FAILED');
  return { judge: 'llm', score: 0.5, confidence: 0, promote: false, summary: '', evidence: [], suspectedCause: '', causeKey: '', failure: { code: e.code, message: e.message } };
}

/** The evidence as a structured attachment (A2A data part): the most telling templates only, bounded series. */
export function wireEvidence(ev: Evidence, maxTemplates = 150, maxSamples = 1000): Evidence {
  const picked = new Set([...newInCanary(ev.templates).slice(0, 50), ...ev.templates.filter((t) => isErrorKind(t.kind)).slice(0, 50), ...ev.templates]);
  const templates = [...picked].slice(0, maxTemplates);
  const metrics = ev.metrics.map((m) => ({ ...m, values: { stable: m.values.stable.slice(-maxSamples), canary: m.values.canary.slice(-maxSamples) } }));
  return { ...ev, templates, metrics };
}

export async function judgeWithLlm(client: LlmClient, ev: Evidence, o: LlmJudgeOptions): Promise<Judgement> {
  const request = { system: SYSTEM_PROMPT, user: userPrompt(ev, o.maxEvidenceChars, o.extraPrompt), schema: VERDICT_SCHEMA, schemaName: 'canary_verdict', data: { kind: 'canary-evidence', extraPrompt: o.extraPrompt, evidence: wireEvidence(ev) } };
  try {
    // An unparsable answer is retried like a 5xx: models occasionally break format once.
    const attempt = async (signal: AbortSignal) => {
      const text = await client.complete({ ...request, signal });
      try {
        return parseVerdict(text);
      } catch (err) {
        throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', (err as Error).message, { cause: err, retryable: true });
      }
    };
    const verdict = await withRetry(attempt, { ...o.retry, signal: o.signal });
    return judgementFromVerdict(verdict);
  } catch (err) {
    return failedJudgement(err);
  }
}
