/**
 * The Argo Rollouts `web` metric provider endpoint. The first measurement starts the analysis in the
 * background and waits up to fastWait; if the verdict is not ready it answers HTTP 202 with the
 * not-ready value (no `verdict` field: the metric's jsonPath finds nothing, Argo records a
 * measurement Error, which does not count towards count/failureLimit, and measures again after
 * `interval`). A ready verdict is HTTP 200 {verdict: promote|rollback|inconclusive, score, …}.
 */
import { createHash } from 'node:crypto';
import { parseAnalysisRequest, type AnalysisRequest } from '../analysis/request.js';
import type { AnalysisJobs } from './jobs.js';
import { pendingView, verdictView } from './views.js';

export interface Reply {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

export function analysisKey(prefix: string, req: AnalysisRequest): string {
  if (req.key) return `${prefix}:${req.key}`;
  const id = [req.namespace ?? '', req.rollout ?? '', req.selector ?? '', req.stableHash ?? req.stableSelector ?? '', req.canaryHash ?? req.canarySelector ?? ''].join('|');
  return `${prefix}:${createHash('sha256').update(id).digest('hex').slice(0, 24)}`;
}

/** `validate` throws SG_ROLLOUT_BAD_REQUEST for requests that select no pods, before any job starts. */
export async function argoMeasure(body: unknown, jobs: AnalysisJobs, fastWaitMs: number, validate: (req: AnalysisRequest) => void, now: () => number = Date.now): Promise<Reply> {
  const req = parseAnalysisRequest(body);
  validate(req);
  const key = analysisKey('argo', req);
  const job = jobs.ensure(key, req, req.maxAgeSeconds === undefined ? undefined : req.maxAgeSeconds * 1000);
  const result = await jobs.wait(job, fastWaitMs);
  if (!result) return { status: 202, json: pendingView(key, job.startedAt, now()), headers: { 'retry-after': '10' } };
  return { status: 200, json: verdictView(key, result) };
}
