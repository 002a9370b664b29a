/**
 * Cell plans per scenario. cold: a fresh tenant per client per run (provisioning included), released
 * after the run. pooled: the same against a gateway whose warm pool holds ≥ concurrency ready sandboxes,
 * with a settle wait after each run so the pool is full again. warm: one tenant per client slot,
 * provisioned before the warm-up, each run a new connection to its running sandbox. direct: the same
 * client straight to sandbox runtimes, no gateway. (restore lives in restore.ts.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { closeSession, timedSample, type ClientConn, type SampleOptions, type Session } from './sample.js';
import { failed, type CellPlan, type Measured } from './cell.js';
import { startDirect, type DirectRuntimes, type GatewayTarget } from './targets.js';
import type { PoolWatch } from './pool-watch.js';
import type { Scenario, StateCheck } from './types.js';

export interface ScenarioEnv {
  sample: SampleOptions;
  /** Prefix of every tenant id this bench run creates. */
  runId: string;
  /** Called with browser.version() after each successful sample (outside the timed region). */
  onBrowser(version: string): void;
}

export function tenantId(env: ScenarioEnv, scenario: Scenario, concurrency: number, slot: number, run?: number): string {
  return `bench-${env.runId}-${scenario}-c${concurrency}${run === undefined ? '' : `-r${run}`}-s${slot}`;
}

/** One timed sample; `inspect` runs on the open session after t3 (state checks), then it is closed. */
export async function measure(conn: ClientConn, env: ScenarioEnv, inspect?: (s: Session) => Promise<StateCheck>): Promise<Measured> {
  const out = await timedSample(conn, env.sample);
  if (!out.session) {
    return { ok: false, phases: out.phases, ...(out.error ? { error: out.error } : {}), ...(out.errorMessage ? { errorMessage: out.errorMessage } : {}) };
  }
  env.onBrowser(out.session.browser.version());
  const state = inspect ? await inspect(out.session) : undefined;
  await closeSession(out.session);
  return { ok: true, phases: out.phases, ...(state ? { state } : {}) };
}

async function releaseAll(gw: GatewayTarget, tenants: readonly string[]): Promise<void> {
  const release = gw.release;
  if (!release) return; // a remote gateway reaps them after its idle TTL
  await Promise.all(tenants.map((t) => release(t)));
}

/**
 * cold (or pooled): fresh tenants each run. For pooled, after each run's release the bench waits until
 * the backend reports its pool full again (or, for a remote gateway, `settleMsPerSandbox × concurrency`); with a `watch`
 * (embedded gateways) claims that missed the pool are counted.
 */
export function freshTenantPlan(gw: GatewayTarget, scenario: 'cold' | 'pooled', concurrency: number, env: ScenarioEnv, pooled?: { settleMsPerSandbox: number; watch?: PoolWatch; label?: string }): CellPlan {
  const tenants = (i: number) => Array.from({ length: concurrency }, (_, slot) => tenantId(env, scenario, concurrency, slot, i));
  const watch = pooled?.watch;
  return {
    backend: gw.name,
    scenario,
    concurrency,
    ...(pooled?.label !== undefined ? { label: pooled.label } : {}),
    ...(watch ? { setup: async () => watch.start(), prepare: async (i: number) => watch.beginRun(i), teardown: async () => watch.stop() } : {}),
    sample: (slot, i) => measure(gw.conn(tenantId(env, scenario, concurrency, slot, i), env.sample.protocol), env),
    runNote: (i) => {
      const misses = watch?.missesIn(i) ?? 0;
      return misses > 0 ? `${misses} claim${misses > 1 ? 's' : ''} missed the pool; a longer --pool-settle avoids that` : undefined;
    },
    afterRun: async (i) => {
      await releaseAll(gw, tenants(i));
      // Embedded backends say when their pool is full again; a remote gateway gets a fixed settle time.
      if (pooled && gw.poolReady) await gw.poolReady();
      else if (pooled && pooled.settleMsPerSandbox > 0) await sleep(pooled.settleMsPerSandbox * concurrency);
    },
  };
}

/** warm: each slot's tenant is provisioned once in setup; a slot whose provisioning failed fails every run. */
export function warmPlan(gw: GatewayTarget, concurrency: number, env: ScenarioEnv): CellPlan {
  const tenants = Array.from({ length: concurrency }, (_, slot) => tenantId(env, 'warm', concurrency, slot));
  const primeFailures = new Map<number, Measured>();
  return {
    backend: gw.name,
    scenario: 'warm',
    concurrency,
    setup: async () => {
      const primed = await Promise.all(tenants.map((t) => measure(gw.conn(t, env.sample.protocol), env)));
      primed.forEach((m, slot) => {
        if (!m.ok) primeFailures.set(slot, { ...m, phases: {}, errorMessage: `provisioning the warm tenant failed: ${m.errorMessage ?? ''}` });
      });
    },
    sample: async (slot) => primeFailures.get(slot) ?? measure(gw.conn(tenants[slot] as string, env.sample.protocol), env),
    teardown: () => releaseAll(gw, tenants),
  };
}

/**
 * direct: `concurrency` runtimes spawned in setup (one per slot), each primed with one untimed sample so
 * that it is in the same state as a warm tenant's sandbox; then the same client connects to each.
 */
export function directPlan(concurrency: number, env: ScenarioEnv, chromiumPath: string, chromiumArgs: readonly string[]): CellPlan {
  let runtimes: DirectRuntimes | undefined;
  return {
    backend: 'direct',
    scenario: 'direct',
    concurrency,
    setup: async () => {
      const started = await startDirect(concurrency, chromiumPath, chromiumArgs);
      runtimes = started;
      const primed = await Promise.all(Array.from({ length: concurrency }, (_, slot) => measure(started.conn(slot, env.sample.protocol), env)));
      const failure = primed.find((m) => !m.ok);
      if (failure) throw Object.assign(new Error(`priming a runtime failed: ${failure.errorMessage ?? ''}`), { code: failure.error });
    },
    sample: async (slot) => (runtimes ? measure(runtimes.conn(slot, env.sample.protocol), env) : failed(new Error('runtime not started'))),
    teardown: async () => {
      await runtimes?.close();
    },
  };
}
