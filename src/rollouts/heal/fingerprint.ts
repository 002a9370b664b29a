/**
 * The identity of "the same failure": rollout + cause. The cause key is deterministic (the masked
 * template of the canary-only error, or the failing check), so two rollbacks of the same bug match
 * even when an LLM words the cause differently.
 */
import { createHash } from 'node:crypto';
import type { Target } from '../evidence/types.js';

export function fingerprint(target: Pick<Target, 'namespace' | 'rollout'>, causeKey: string): string {
  return createHash('sha256').update(`${target.namespace}/${target.rollout}\n${causeKey || 'unknown'}`).digest('hex').slice(0, 16);
}

export const marker = (fp: string) => `sandgate-fingerprint: ${fp}`;
