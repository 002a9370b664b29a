/**
 * The Flagger webhook. Flagger POSTs {name, namespace, phase, checksum, metadata}; HTTP 200–202
 * lets the canary advance, anything else counts as a failed check. Two gates:
 *  - `mode=promotion` (confirm-promotion hook): 200 only for a promote verdict; 425 while the analysis
 *    runs, 409 Inconclusive, 412 rollback (promotion stays paused).
 *  - `mode=rollback-only` (rollout hook): non-2xx (412) only for a rollback verdict, so a failing
 *    canary reaches Flagger's threshold and is rolled back; re-analysed every minute by default.
 * Pods: canary `app=<name>`, primary `app=<name>-primary`, or metadata stableSelector / canarySelector.
 */
import { z } from 'zod';
import { parseAnalysisRequest, type AnalysisRequest } from '../analysis/request.js';
import { RolloutError } from '../errors.js';
import { analysisKey, type Reply } from './argo.js';
import type { AnalysisJobs } from './jobs.js';
import { pendingView, verdictView } from './views.js';

const payload = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  phase: z.string().optional(),
  checksum: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

export type FlaggerMode = 'promotion' | 'rollback-only';

export async function flaggerGate(body: unknown, modeParam: string | undefined, jobs: AnalysisJobs, fastWaitMs: number, validate: (req: AnalysisRequest) => void, now: () => number = Date.now): Promise<Reply> {
  const p = payload.safeParse(body);
  if (!p.success) throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', `not a Flagger webhook payload: ${p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { name, namespace, checksum = '', metadata = {} } = p.data;
  const mode = (modeParam ?? metadata.mode ?? 'promotion') as FlaggerMode;
  if (mode !== 'promotion' && mode !== 'rollback-only') throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', `mode must be promotion or rollback-only, got ${mode}`);
  const req = parseAnalysisRequest({
    namespace,
    rollout: name,
    stableSelector: metadata.stableSelector ?? `app=${name}-primary`,
    canarySelector: metadata.canarySelector ?? `app=${name}`,
    ...(metadata.extraPrompt ? { extraPrompt: metadata.extraPrompt } : {}),
    key: `${namespace}/${name}/${checksum}/${mode}`,
    maxAgeSeconds: metadata.maxAgeSeconds ?? (mode === 'rollback-only' ? 60 : undefined),
  });
  validate(req);
  const key = analysisKey('flagger', req);
  const job = jobs.ensure(key, req, req.maxAgeSeconds === undefined ? undefined : req.maxAgeSeconds * 1000);
  const result = await jobs.wait(job, fastWaitMs);
  if (!result) return mode === 'promotion' ? { status: 425, json: pendingView(key, job.startedAt, now()), headers: { 'retry-after': '10' } } : { status: 200, json: pendingView(key, job.startedAt, now()) };
  const view = verdictView(key, result);
  const verdict = result.decision.verdict;
  if (verdict === 'rollback') return { status: 412, json: view };
  if (mode === 'rollback-only' || verdict === 'promote') return { status: 200, json: view };
  return { status: 409, json: view };
}
