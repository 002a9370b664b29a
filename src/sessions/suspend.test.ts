/** Suspend on idle, transparent resume, and the persistence hooks around a sandbox's life. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../backends/types.js';
import { Sessions } from './sessions.js';

/** In-test backend with live suspend: ensure of a suspended tenant gives the same endpoint back. */
class PausingBackend implements Backend {
  readonly name = 'pausing';
  readonly capabilities: Capabilities = { suspend: true, livePause: true, persistentState: false, warmPool: false, isolation: 'process', suspendKeeps: ['memory'] };
  readonly log: string[] = [];
  private readonly live = new Map<string, Endpoint>();
  private next = 0;
  async start(): Promise<void> {}
  async close(): Promise<void> {}
  async ensure(tenant: string, _o: EnsureOptions): Promise<Endpoint> {
    let ep = this.live.get(tenant);
    if (!ep) {
      ep = { host: '127.0.0.1', port: 1, basePath: '/x', id: `ep-${++this.next}` };
      this.live.set(tenant, ep);
      this.log.push(`create ${ep.id}`);
    } else this.log.push(`ensure ${ep.id}`);
    return ep;
  }
  async suspend(tenant: string): Promise<void> {
    this.log.push(`suspend ${this.live.get(tenant)?.id}`);
  }
  async release(tenant: string): Promise<void> {
    this.log.push(`release ${this.live.get(tenant)?.id}`);
    this.live.delete(tenant);
  }
  async list(): Promise<SandboxInfo[]> {
    return [];
  }
  onLost(_l: LostListener): void {}
}

test('idle sandboxes are suspended, resumed by the next acquire, and released after suspendedTtl; hooks run around fresh sandboxes only', async () => {
  const backend = new PausingBackend();
  const clock = { t: 0 };
  const hooks: string[] = [];
  const sessions = new Sessions({
    backend,
    ensureTimeoutMs: 1000,
    idleTtlMs: 100,
    idleAction: 'suspend',
    suspendedTtlMs: 1000,
    maxLifetimeMs: 0,
    reapIntervalMs: 0,
    maxConnectionsPerTenant: 0,
    now: () => clock.t,
    hooks: {
      afterEnsure: async (t, ep) => void hooks.push(`after ${t} ${ep.id}`),
      beforeRelease: async (t, ep, why) => void hooks.push(`before ${t} ${ep.id} ${why}`),
    },
  });
  const signal = new AbortController().signal;
  const lease = await sessions.acquire('a', signal);
  const ended: string[] = [];
  lease.onTerminate((err) => ended.push(err.code));
  lease.release();
  clock.t += 100;
  assert.deepEqual(await sessions.reap(), [], 'a suspension is not a removal');
  assert.deepEqual(sessions.snapshot().map((s) => s.suspended), [true]);
  assert.deepEqual(backend.log, ['create ep-1', 'suspend ep-1']);

  (await sessions.acquire('a', signal)).release();
  assert.deepEqual(sessions.snapshot().map((s) => s.suspended), [false]);
  assert.deepEqual(hooks, ['after a ep-1'], 'no state import on resume');

  clock.t += 100;
  await sessions.reap(); // suspended again
  clock.t += 1000;
  assert.deepEqual(await sessions.reap(), ['a']);
  assert.equal(backend.log.at(-1), 'release ep-1');
  // The sandbox was suspended (no live endpoint) when released: nothing to export.
  assert.deepEqual(hooks, ['after a ep-1']);

  const again = await sessions.acquire('a', signal);
  again.release();
  await sessions.release('a');
  assert.deepEqual(hooks, ['after a ep-1', 'after a ep-2', 'before a ep-2 released']);
  assert.deepEqual(ended, [], 'the lease was released before the suspend');
});

test('suspending a tenant with open connections ends them with SG_SANDBOX_SUSPENDED', async () => {
  const backend = new PausingBackend();
  const sessions = new Sessions({ backend, ensureTimeoutMs: 1000, idleTtlMs: 0, maxLifetimeMs: 0, reapIntervalMs: 0, maxConnectionsPerTenant: 0 });
  const lease = await sessions.acquire('b', new AbortController().signal);
  const ended: string[] = [];
  lease.onTerminate((err) => ended.push(err.code));
  assert.equal(await sessions.suspend('b'), true);
  assert.deepEqual(ended, ['SG_SANDBOX_SUSPENDED']);
  assert.equal(await sessions.suspend('nobody'), false);
});
