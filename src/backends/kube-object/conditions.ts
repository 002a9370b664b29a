/** Status helpers shared by the adapters: conditions, terminal errors, endpoint ids. */
import type { KubernetesObject } from '@kubernetes/client-node';
import { SandgateError } from '../../errors/errors.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export function findCondition(status: { conditions?: Condition[] } | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** `reason: message`, or the reason alone. */
export function describeCondition(c: Condition | undefined, fallback: string): string {
  const reason = c?.reason ?? fallback;
  return c?.message ? `${reason}: ${c.message}` : reason;
}

export function terminalError(kind: string, name: string, state: { reason: string; message: string }): SandgateError {
  return new SandgateError('SG_BACKEND_TERMINAL', `${kind} ${name}: ${state.reason}${state.message ? ` (${state.message})` : ''}`, {
    detail: { reason: state.reason },
  });
}

/** Identifies one incarnation of a sandbox: the object and the run (pod address) it got. */
export function endpointId(obj: KubernetesObject, incarnation: string): string {
  return `${obj.metadata?.uid ?? obj.metadata?.name ?? '?'}/${incarnation}`;
}
