/**
 * Orchestration: starts the fixture target and the gateways, runs every (backend, scenario,
 * concurrency) cell one after the other — never two cells at once, so they do not compete for CPU;
 * direct right after the first warm cell of its level — and assembles the result in table order. Everything started here is closed here, also on abort.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { FIXTURE_HTML, startFixtureServer, type FixtureServer } from '../fixture/fixture-server.js';
import { cellName, failAll, runCell, type CellMeta, type CellPlan } from './cell.js';
import { directPlan, freshTenantPlan, warmPlan, type ScenarioEnv } from './scenarios.js';
import { restoreMode, restorePlan } from './restore.js';
import { PoolWatch } from './pool-watch.js';
import { assembleResult, type CellRecord } from './result.js';
import { remoteTarget, startEmbedded, type GatewayTarget } from './targets.js';
import { SCENARIOS, type BenchOptions, type BackendName } from './options.js';
import type { BenchResult, Scenario } from './types.js';

export interface RunHooks {
  progress(line: string): void;
  /** Aborting closes every gateway and runtime and stops after the current run. */
  signal?: AbortSignal;
}

/** Table order: backends as given, then cold, warm, pooled, restore, direct, then concurrency. */
function order(records: CellRecord[], backends: readonly string[]): CellRecord[] {
  const rank = (r: CellRecord) => [backends.indexOf(r.meta.backend) < 0 ? backends.length : backends.indexOf(r.meta.backend), SCENARIOS.indexOf(r.meta.scenario), r.meta.concurrency];
  return [...records].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return 0;
  });
}

export async function runBench(opts: BenchOptions, hooks: RunHooks): Promise<BenchResult> {
  const startedAt = new Date();
  const loadAvgStart = os.loadavg()[0] ?? 0;
  if (loadAvgStart > os.availableParallelism()) {
    hooks.progress(`bench: the machine is busy (load ${loadAvgStart.toFixed(1)} on ${os.availableParallelism()} CPUs); timings will include that contention`);
  }
  const signal = hooks.signal ?? new AbortController().signal;
  const open = new Set<{ close(): Promise<void> }>();
  const onAbort = () => void Promise.all([...open].map((o) => o.close().catch(() => undefined)));
  signal.addEventListener('abort', onAbort, { once: true });
  let fixture: FixtureServer | undefined;
  let chromium = 'unknown';
  const records: CellRecord[] = [];
  try {
    fixture = opts.target === undefined ? await startFixtureServer(opts.fixtureHost) : undefined;
    const target = opts.target ?? (fixture as FixtureServer).url;
    const baseEnv: ScenarioEnv = {
      sample: { protocol: opts.protocol, target, timeoutMs: opts.timeoutMs },
      runId: randomBytes(3).toString('hex'),
      onBrowser: (v) => {
        if (chromium === 'unknown') chromium = v;
      },
    };
    const env = baseEnv;
    const loop = { runs: opts.runs, warmup: opts.warmup, progress: hooks.progress, signal };
    const run = async (plan: CellPlan, declaredState?: CellRecord['declaredState']) => {
      if (signal.aborted) throw signal.reason;
      records.push({ meta: plan, samples: await runCell(plan, loop), ...(declaredState ? { declaredState } : {}) });
    };
    /** Runs `plans` on a gateway started by `start`; if it cannot start, their cells fail with its error. */
    const onGateway = async (start: () => Promise<GatewayTarget>, name: string, metas: CellMeta[], plans: (gw: GatewayTarget) => Array<() => Promise<void>>) => {
      if (metas.length === 0) return;
      let gw: GatewayTarget;
      try {
        gw = await start();
      } catch (err) {
        hooks.progress(`[${name}] gateway failed to start: ${(err as Error).message}`);
        for (const meta of metas) records.push({ meta, samples: failAll(meta, opts.runs, err, 'gateway start') });
        return;
      }
      open.add(gw);
      try {
        for (const p of plans(gw)) await p();
      } finally {
        open.delete(gw);
        await gw.close();
      }
    };
    /** Pooled on an embedded gateway: claims that missed the pool are counted and shown in the label. */
    const runPooled = async (gw: GatewayTarget, c: number) => {
      if (signal.aborted) throw signal.reason;
      const watch = new PoolWatch();
      const plan = freshTenantPlan(gw, 'pooled', c, env, { settleMsPerSandbox: opts.poolSettleMs, watch });
      const samples = await runCell(plan, loop);
      const { misses, claims } = watch.total(opts.warmup);
      const label = misses > 0 ? { label: `pooled=${misses}/${claims} claims missed the pool` } : {};
      records.push({ meta: { backend: plan.backend, scenario: 'pooled', concurrency: c, ...label }, samples, poolMisses: misses });
    };
    const levels = opts.concurrency;
    /** direct runs right after the first warm cell at its level (adjacent in time: a fair ratio), else at the end. */
    const directPending = new Set(opts.scenarios.includes('direct') ? levels : []);
    const runDirect = async (c: number) => {
      if (directPending.delete(c)) await run(directPlan(c, env, opts.chromiumPath, opts.chromiumArgs));
    };
    const has = (s: Scenario) => opts.scenarios.includes(s);
    const metasFor = (backend: string, scenarios: Scenario[]): CellMeta[] =>
      scenarios.filter(has).flatMap((scenario) => levels.map((concurrency) => ({ backend, scenario, concurrency })));
    const gatewayPlans = (gw: GatewayTarget) => {
      const env = gw.offline && fixture ? { ...baseEnv, sample: { ...baseEnv.sample, clientServedHtml: FIXTURE_HTML } } : baseEnv;
      return (['cold', 'warm', 'restore'] as const).filter(has).flatMap((s) =>
        levels.map((c) => async () => {
          if (s === 'cold') return run(freshTenantPlan(gw, 'cold', c, env));
          if (s === 'warm') return run(warmPlan(gw, c, env)).then(() => runDirect(c));
          const mode = restoreMode(gw, opts.restoreMode);
          if (mode instanceof Error) {
            const meta: CellMeta = { backend: gw.name, scenario: 'restore', concurrency: c };
            hooks.progress(`[${cellName(meta)}] skipped: ${mode.message}`);
            records.push({ meta, samples: [], reason: mode.message });
            return;
          }
          const plan = restorePlan(gw, c, env, mode, opts.declaredState);
          return run(plan, plan.declaredState);
        }),
      );
    };
    const g = opts.gateway;
    if (g.kind === 'embedded') {
      for (const backend of g.backends) {
        const label = g.label ?? backend;
        const embedded = (warmPool: number) => () =>
          startEmbedded({ backend: backend as BackendName, warmPool, chromiumPath: opts.chromiumPath, chromiumArgs: opts.chromiumArgs, logLevel: opts.logLevel, env: process.env, ...(g.label ? { label: g.label } : {}) });
        await onGateway(embedded(0), label, metasFor(label, ['cold', 'warm', 'restore']), gatewayPlans);
        await onGateway(embedded(g.warmPool), `${label} pool`, metasFor(label, ['pooled']), (gw) =>
          levels.map((c) => async () => {
            if (gw.capabilities?.warmPool) return runPooled(gw, c);
            const meta: CellMeta = { backend: gw.name, scenario: 'pooled', concurrency: c };
            hooks.progress(`[${cellName(meta)}] skipped: the backend has no warm pool`);
            records.push({ meta, samples: [], reason: 'backend has no warm pool' });
          }),
        );
      }
    } else {
      const remote = async () => remoteTarget(g);
      await onGateway(remote, g.label, metasFor(g.label, ['cold', 'warm', 'pooled']), (gw) => [
        ...gatewayPlans(gw),
        ...(has('pooled') ? levels.map((c) => () => run(freshTenantPlan(gw, 'pooled', c, env, { settleMsPerSandbox: opts.poolSettleMs, label: 'pooled=remote' }))) : []),
      ]);
    }
    for (const c of levels) await runDirect(c);
    const backends = g.kind === 'embedded' ? (g.label ? [g.label] : [...g.backends]) : [g.label];
    return assembleResult({ opts, target, startedAt, finishedAt: new Date(), chromium, records: order(records, [...backends, 'direct']), loadAvgStart });
  } finally {
    signal.removeEventListener('abort', onAbort);
    await fixture?.close();
  }
}
