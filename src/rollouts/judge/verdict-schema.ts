/** The verdict JSON schema sent to providers, and the tolerant-but-strict parser of the answer. */
import { z } from 'zod';
import { RolloutError } from '../errors.js';
import type { LlmVerdict } from './types.js';

export const VERDICT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    promote: { type: 'boolean', description: 'true only if the canary is at least as healthy as stable' },
    confidence: { type: 'integer', minimum: 0, maximum: 100, description: 'confidence in this decision, 0-100' },
    summary: { type: 'string', description: 'two or three sentences for an SRE' },
    evidence: { type: 'array', items: { type: 'string' }, description: 'log templates or numbers that support the decision' },
    suspectedCause: { type: 'string', description: 'one sentence; empty when promoting' },
  },
  required: ['promote', 'confidence', 'summary', 'evidence', 'suspectedCause'],
  additionalProperties: false,
};

const verdict = z.object({
  promote: z.boolean(),
  confidence: z.coerce.number().min(0).max(100),
  summary: z.string().default(''),
  evidence: z.array(z.string()).default([]),
  suspectedCause: z.string().default(''),
});

/** Finds the JSON object in an answer (bare, fenced, or with prose around it). */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = (fenced?.[1] ?? text).trim();
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end <= start) throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', `no JSON object in the answer: ${text.slice(0, 120)}`);
  try {
    return JSON.parse(candidate.slice(start, end + 1)) as unknown;
  } catch (err) {
    throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', `answer is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

export function parseVerdict(text: string): LlmVerdict {
  const parsed = verdict.safeParse(extractJson(text));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', `answer does not match the verdict schema: ${problems}`);
  }
  return { ...parsed.data, confidence: Math.round(parsed.data.confidence) };
}
