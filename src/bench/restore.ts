/**
 * restore: the backend's persistence story, measured and proven. Each run, per client: a fresh tenant's
 * session loads the target, writes the state markers (cookie, localStorage, window.__sg) and keeps the
 * page open; then the sandbox is put away — `restore=suspend` (live suspend, for backends that can) or
 * `restore=recreate` (released; the next connect provisions anew) — and the timed sample reconnects and
 * checks what survived. The setup connection stays open until the run is over.
 */
import { randomBytes } from 'node:crypto';
import { closeSession, timedSample, type Session } from './sample.js';
import { checkState, declaredState, withTimeout, writeState } from './state.js';
import { failed, type CellPlan, type Measured } from './cell.js';
import { measure, tenantId, type ScenarioEnv } from './scenarios.js';
import type { GatewayTarget } from './targets.js';
import type { RestoreMode } from './options.js';
import type { StateCheck } from './types.js';

export interface RestorePlan extends CellPlan {
  mode: 'suspend' | 'recreate';
  declaredState: Array<keyof StateCheck>;
}

interface Prepared {
  tenant: string;
  marker: string;
  session?: Session;
  failure?: Measured;
}

/** suspend when asked or (auto) when the target can; recreate otherwise. */
export function restoreMode(gw: GatewayTarget, wanted: RestoreMode): 'suspend' | 'recreate' | Error {
  const canSuspend = gw.suspend !== undefined;
  if (wanted === 'suspend' && !canSuspend) return new Error(`${gw.name} cannot suspend sandboxes through this gateway`);
  if (wanted === 'recreate' && !gw.release) return new Error('restore=recreate needs a gateway that can release sandboxes');
  if (wanted === 'auto' && !canSuspend && !gw.release) return new Error('restore needs a gateway that can suspend or release sandboxes');
  return wanted === 'recreate' || !canSuspend ? 'recreate' : 'suspend';
}

/** Setup of one slot: session, markers, then suspend or release. Never throws: a failure is kept for the timed part. */
async function prepareSlot(gw: GatewayTarget, env: ScenarioEnv, tenant: string, mode: 'suspend' | 'recreate'): Promise<Prepared> {
  const marker = randomBytes(12).toString('hex');
  const out = await timedSample(gw.conn(tenant, env.sample.protocol), env.sample);
  if (!out.session) {
    return { tenant, marker, failure: { ok: false, phases: {}, ...(out.error ? { error: out.error } : {}), errorMessage: `setup: ${out.errorMessage ?? ''}` } };
  }
  const session = out.session;
  try {
    await withTimeout(writeState(session, env.sample.target, marker), env.sample.timeoutMs, 'writing state');
  } catch (err) {
    return { tenant, marker, session, failure: failed(err, 'writing state') };
  }
  try {
    const putAway = mode === 'suspend' ? gw.suspend : gw.release;
    if (putAway) await putAway(tenant);
    return { tenant, marker, session };
  } catch (err) {
    return { tenant, marker, session, failure: failed(err, mode) };
  }
}

export function restorePlan(gw: GatewayTarget, concurrency: number, env: ScenarioEnv, mode: 'suspend' | 'recreate', declared?: Array<keyof StateCheck>): RestorePlan {
  let prepared: Prepared[] = [];
  return {
    backend: gw.name,
    scenario: 'restore',
    concurrency,
    label: `restore=${mode}`,
    mode,
    declaredState: declared ?? declaredState(gw.capabilities, mode, env.sample.protocol),
    prepare: async (i) => {
      const tenants = Array.from({ length: concurrency }, (_, slot) => tenantId(env, 'restore', concurrency, slot, i));
      prepared = await Promise.all(tenants.map((t) => prepareSlot(gw, env, t, mode)));
    },
    sample: async (slot) => {
      const p = prepared[slot];
      if (!p) return failed(new Error(`slot ${slot} was not prepared`));
      if (p.failure) return p.failure;
      return measure(gw.conn(p.tenant, env.sample.protocol), env, (s) => checkState(s, env.sample.target, p.marker));
    },
    afterRun: async () => {
      await Promise.all(prepared.map(async (p) => {
        if (p.session) await closeSession(p.session);
        await gw.release?.(p.tenant);
      }));
    },
  };
}
