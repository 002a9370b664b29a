/** One analysis request, as the Argo web provider, the Flagger webhook, A2A or the CLI send it. */
import { z } from 'zod';
import { RolloutError } from '../errors.js';

const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'expected a Kubernetes name');

export const analysisRequest = z
  .object({
    namespace: name.optional(),
    /** Rollout / Canary name: names the issue fingerprint; defaults to "canary". */
    rollout: name.optional(),
    /** Common base selector, e.g. app=rollouts-demo, combined with the hashes. */
    selector: z.string().max(500).optional(),
    stableHash: z.string().max(63).optional(),
    canaryHash: z.string().max(63).optional(),
    stableSelector: z.string().max(500).optional(),
    canarySelector: z.string().max(500).optional(),
    /** Replaces the configured extraPrompt for this request. */
    extraPrompt: z.string().max(2000).optional(),
    /** Identity of the analysis (e.g. the AnalysisRun); derived from the fields above when absent. */
    key: z.string().max(300).optional(),
    /** A finished verdict older than this is recomputed (for metrics with count > 1). */
    maxAgeSeconds: z.coerce.number().int().positive().optional(),
  })
  .strip();

export type AnalysisRequest = z.infer<typeof analysisRequest>;

export function parseAnalysisRequest(body: unknown): AnalysisRequest {
  const parsed = analysisRequest.safeParse(body ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', `invalid analysis request: ${problems.join('; ')}`, { detail: { problems } });
  }
  return parsed.data;
}
