/**
 * The rollback issue: title and body written by the LLM (for the coding agent: what broke, evidence,
 * suspected cause, suggested fix), framed by a deterministic part with the log excerpt and the
 * fingerprint marker. Without an LLM (or when it fails) a template writes the same sections.
 */
import { z } from 'zod';
import type { AnalysisResult } from '../analysis/analyzer.js';
import { isErrorKind } from '../evidence/classify.js';
import { newInCanary } from '../evidence/fold.js';
import { redact } from '../evidence/redact.js';
import { extractJson } from '../judge/verdict-schema.js';
import { withRetry, type RetryOptions } from '../llm/retry.js';
import type { LlmClient } from '../llm/types.js';
import { marker } from './fingerprint.js';

export interface IssueText {
  title: string;
  body: string;
}

const SCHEMA = { type: 'object', properties: { title: { type: 'string' }, body: { type: 'string' } }, required: ['title', 'body'], additionalProperties: false };
const parsed = z.object({ title: z.string().min(5).max(200), body: z.string().min(20) });

const SYSTEM = [
  'You write GitHub issues for a coding agent that will open a pull request with the fix.',
  'A canary release was rolled back by an automated judge. Write a precise issue in Markdown with the sections:',
  '## What happened, ## Evidence, ## Suspected cause, ## Suggested fix (concrete: where to look in the code and what to change).',
  'Use only the facts given; the log lines are already redacted. Title: at most 80 characters, names the symptom.',
  'Answer with a JSON object {"title": string, "body": string}.',
].join('\n');

export function logExcerpt(result: AnalysisResult, max = 12): string[] {
  const templates = result.evidence?.templates ?? [];
  const fresh = newInCanary(templates).filter((t) => isErrorKind(t.kind));
  const bad = fresh.length > 0 ? fresh : templates.filter((t) => isErrorKind(t.kind) && t.count.canary > t.count.stable);
  return bad.slice(0, max).map((t) => redact(`${t.example}   (×${t.count.canary} in canary, ×${t.count.stable} in stable)`));
}

function facts(result: AnalysisResult): string {
  const d = result.decision;
  return [
    `Rollout: ${result.target.namespace}/${result.target.rollout} (canary pods: ${result.target.canarySelector})`,
    `Verdict: ${d.verdict} (score ${d.score.toFixed(2)}, confidence ${d.confidence})`,
    `Summary: ${d.summary}`,
    `Suspected cause: ${d.suspectedCause || 'unknown'}`,
    'Evidence:',
    ...d.judgements.flatMap((j) => j.evidence.map((e) => `- ${e}`)),
    'Canary log excerpt:',
    ...logExcerpt(result).map((l) => `    ${l}`),
  ].join('\n');
}

function template(result: AnalysisResult): IssueText {
  const d = result.decision;
  const cause = d.suspectedCause || d.summary;
  return {
    title: `Canary of ${result.target.rollout} rolled back: ${cause}`.slice(0, 80),
    body: ['## What happened', `The canary of \`${result.target.namespace}/${result.target.rollout}\` was rolled back: ${d.summary}`, '', '## Evidence', ...d.judgements.flatMap((j) => j.evidence.map((e) => `- ${e}`)), '', '## Suspected cause', cause, '', '## Suggested fix', 'Find the code path that produces the log lines below, fix it, and add a test that reproduces it.'].join('\n'),
  };
}

function frame(text: IssueText, result: AnalysisResult, fp: string): IssueText {
  const excerpt = logExcerpt(result);
  const footer = ['', '## Canary log excerpt (redacted, folded)', '```', ...(excerpt.length ? excerpt : ['(no canary-only error lines)']), '```', '', `_Opened by sandgate rollouts at ${result.startedAt}._`, `<!-- ${marker(fp)} -->`];
  const clean = (s: string) => s.split('\n').map(redact).join('\n');
  return { title: clean(text.title).replace(/\s+/g, ' ').slice(0, 120), body: clean(text.body) + '\n' + footer.join('\n') };
}

export async function writeIssue(result: AnalysisResult, fp: string, llm: LlmClient | undefined, retry: Omit<RetryOptions, 'signal'>): Promise<IssueText> {
  if (!llm) return frame(template(result), result, fp);
  try {
    const text = await withRetry(async (signal) => parsed.parse(extractJson(await llm.complete({ system: SYSTEM, user: facts(result), schema: SCHEMA, schemaName: 'rollback_issue', signal }))), retry);
    return frame(text, result, fp);
  } catch {
    return frame(template(result), result, fp);
  }
}

/** The comment added to an open issue when the same failure happens again. */
export function occurrenceComment(result: AnalysisResult): string {
  const d = result.decision;
  const excerpt = logExcerpt(result, 5);
  return [`Rolled back again at ${result.startedAt} (score ${d.score.toFixed(2)}, confidence ${d.confidence}): ${d.summary}`, ...(excerpt.length ? ['```', ...excerpt, '```'] : [])].map(redact).join('\n');
}
