/**
 * Which pods are stable and which are canary: explicit label selectors, or the
 * `rollouts-pod-template-hash` values Argo Rollouts passes (podTemplateHashValue: Stable / Latest),
 * optionally narrowed by a common base selector such as `app=rollouts-demo`.
 */
import { RolloutError } from '../errors.js';
import type { Side } from './types.js';

export const HASH_LABEL = 'rollouts-pod-template-hash';
const SELECTOR = /^[A-Za-z0-9_./=!,()\s-]+$/;
const HASH = /^[a-z0-9]{1,63}$/;

export interface SelectorInput {
  selector?: string | undefined;
  stableSelector?: string | undefined;
  canarySelector?: string | undefined;
  stableHash?: string | undefined;
  canaryHash?: string | undefined;
}

function check(value: string, field: string): string {
  if (!SELECTOR.test(value)) throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', `${field}: not a label selector: ${JSON.stringify(value)}`);
  return value.trim();
}

function sideSelector(side: Side, input: SelectorInput, fallback: string): string {
  const explicit = side === 'stable' ? input.stableSelector : input.canarySelector;
  if (explicit) return check(explicit, `${side}Selector`);
  const hash = side === 'stable' ? input.stableHash : input.canaryHash;
  if (hash) {
    if (!HASH.test(hash)) throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', `${side}Hash: not a pod-template-hash: ${JSON.stringify(hash)}`);
    const base = input.selector ? check(input.selector, 'selector') : '';
    return [base, `${HASH_LABEL}=${hash}`].filter(Boolean).join(',');
  }
  if (fallback) return check(fallback, `${side}Selector`);
  throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', `no ${side} pods selected: pass ${side}Hash or ${side}Selector`);
}

/** Request values win over configured defaults; both sides must differ. */
export function selectorsFor(input: SelectorInput, defaults: { stableSelector: string; canarySelector: string }): Record<Side, string> {
  const stable = sideSelector('stable', input, defaults.stableSelector);
  const canary = sideSelector('canary', input, defaults.canarySelector);
  if (stable === canary) throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', `stable and canary select the same pods (${stable})`);
  return { stable, canary };
}
