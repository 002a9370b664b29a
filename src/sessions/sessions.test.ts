import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../backends/types.js';
import { SandgateError } from '../errors/errors.js';
import type { SessionEvent } from '../observability/events.js';
import { Sessions, type SessionsOptions } from './sessions.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface EnsureCall {
  tenant: string;
  signal: AbortSignal;
  result: Deferred<Endpoint>;
}

/** In-test backend: every ensure returns a deferred the test settles; honours the AbortSignal. */
class FakeBackend implements Backend {
  readonly name = 'fake';
  readonly capabilities: Capabilities = { suspend: false, livePause: false, persistentState: false, warmPool: false, isolation: 'process', suspendKeeps: [] };
  readonly calls: EnsureCall[] = [];
  readonly released: string[] = [];
  /** When set, release() resolves only when the test resolves it (a slow destroy). */
  releaseGate: Deferred<void> | undefined;
  private readonly listeners: LostListener[] = [];

  start(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  ensure(tenant: string, options: EnsureOptions): Promise<Endpoint> {
    const result = deferred<Endpoint>();
    const { signal } = options;
    const abort = () => result.reject(new SandgateError('SG_ENSURE_ABORTED', 'fake backend aborted', { cause: signal.reason }));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    this.calls.push({ tenant, signal, result });
    return result.promise;
  }
  release(tenant: string): Promise<void> {
    this.released.push(tenant);
    return this.releaseGate?.promise ?? Promise.resolve();
  }
  list(): Promise<SandboxInfo[]> {
    return Promise.resolve([]);
  }
  onLost(listener: LostListener): void {
    this.listeners.push(listener);
  }
  lose(tenant: string, endpointId: string, reason: string): void {
    for (const l of this.listeners) l(tenant, endpointId, reason);
  }
  /** The n-th ensure call (0-based); fails the test if it was not made. */
  call(n: number): EnsureCall {
    const c = this.calls[n];
    assert.ok(c, `expected ensure call #${n}, got ${this.calls.length}`);
    return c;
  }
}

function endpoint(id: string): Endpoint {
  return { host: '127.0.0.1', port: 9, basePath: `/${id}`, id };
}

interface Harness {
  backend: FakeBackend;
  sessions: Sessions;
  clock: { t: number };
}

function setup(overrides: Partial<Omit<SessionsOptions, 'backend' | 'now'>> = {}): Harness {
  const backend = new FakeBackend();
  const clock = { t: 1_000_000 };
  const sessions = new Sessions({
    backend,
    ensureTimeoutMs: 10_000,
    idleTtlMs: 60_000,
    maxLifetimeMs: 0,
    reapIntervalMs: 0,
    maxConnectionsPerTenant: 0,
    ...overrides,
    now: () => clock.t,
  });
  return { backend, sessions, clock };
}

const never = () => new AbortController().signal;

async function rejectsWithCode(p: Promise<unknown>, code: string): Promise<SandgateError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SandgateError, `expected SandgateError, got ${String(err)}`);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected rejection with ${code}`);
}

/** Lets every pending promise reaction run (and unhandled rejections be detected). */
const turn = () => new Promise<void>((r) => setImmediate(r));

// Session events from the diagnostics channel, collected for the whole file; tests filter by tenant.
const sessionEvents: SessionEvent[] = [];
const onSessionEvent = (message: unknown) => sessionEvents.push(message as SessionEvent);
const eventsFor = (tenant: string) => sessionEvents.filter((e) => e.tenant === tenant).map((e) => (e.reason ? `${e.type}:${e.reason}` : e.type));

describe('Sessions', () => {
  before(() => diagnostics.subscribe('sandgate:session', onSessionEvent));
  after(() => diagnostics.unsubscribe('sandgate:session', onSessionEvent));

  test('concurrent acquires for one tenant share one backend.ensure', async () => {
    const { backend, sessions } = setup();
    const pending = Array.from({ length: 5 }, () => sessions.acquire('t-concurrent', never()));
    assert.equal(backend.calls.length, 1);
    assert.equal(backend.call(0).tenant, 't-concurrent');
    backend.call(0).result.resolve(endpoint('ep-1'));
    const leases = await Promise.all(pending);
    assert.deepEqual(
      leases.map((l) => l.endpoint.id),
      ['ep-1', 'ep-1', 'ep-1', 'ep-1', 'ep-1'],
    );
    assert.equal(sessions.activeLeases('t-concurrent'), 5);
    // A later acquire reuses the ready endpoint.
    const again = await sessions.acquire('t-concurrent', never());
    assert.equal(again.endpoint.id, 'ep-1');
    assert.equal(backend.calls.length, 1);
    assert.deepEqual(eventsFor('t-concurrent'), ['created']);
    assert.deepEqual(sessions.snapshot().map((s) => [s.tenant, s.leases, s.ready]), [['t-concurrent', 6, true]]);
  });

  test('a caller that aborts gets SG_ENSURE_ABORTED; the shared ensure goes on for the others', async () => {
    const { backend, sessions } = setup();
    const leaving = new AbortController();
    const first = sessions.acquire('t-abort', leaving.signal);
    const second = sessions.acquire('t-abort', never());
    leaving.abort();
    await rejectsWithCode(first, 'SG_ENSURE_ABORTED');
    assert.equal(backend.call(0).signal.aborted, false, 'the backend must not see the caller abort');
    backend.call(0).result.resolve(endpoint('ep-1'));
    const lease = await second;
    assert.equal(lease.endpoint.id, 'ep-1');
    assert.equal(backend.calls.length, 1);
    assert.equal(sessions.activeLeases('t-abort'), 1);
  });

  test('a caller whose signal is already aborted does not leave an unhandled rejection when the ensure fails', async () => {
    const { backend, sessions } = setup();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const gone = new AbortController();
      gone.abort();
      await rejectsWithCode(sessions.acquire('t-preaborted', gone.signal), 'SG_ENSURE_ABORTED');
      for (const c of backend.calls) c.result.reject(new SandgateError('SG_BACKEND_TERMINAL', 'image missing'));
      await turn();
      await turn();
      assert.deepEqual(unhandled, []);
      assert.equal(sessions.size, 0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('the ensure deadline fails every waiter with SG_ENSURE_TIMEOUT and removes the session', async () => {
    const { backend, sessions } = setup({ ensureTimeoutMs: 50 });
    const waiters = [sessions.acquire('t-deadline', never()), sessions.acquire('t-deadline', never())];
    const errors = await Promise.all(waiters.map((w) => rejectsWithCode(w, 'SG_ENSURE_TIMEOUT')));
    assert.equal(errors[0]?.status, 503);
    assert.equal(backend.call(0).signal.aborted, true, 'the backend is told to stop provisioning');
    assert.equal(sessions.size, 0);
    assert.deepEqual(eventsFor('t-deadline'), ['created', 'removed:failed']);
    // The next acquire starts a fresh ensure.
    const next = sessions.acquire('t-deadline', never());
    assert.equal(backend.calls.length, 2);
    backend.call(1).result.resolve(endpoint('ep-2'));
    assert.equal((await next).endpoint.id, 'ep-2');
  });

  test('a backend SandgateError reaches the caller unchanged; other errors become SG_BACKEND_UNAVAILABLE', async () => {
    const { backend, sessions } = setup();
    const terminal = new SandgateError('SG_BACKEND_TERMINAL', 'image not found');
    const a = sessions.acquire('t-fail', never());
    const b = sessions.acquire('t-fail', never());
    backend.call(0).result.reject(terminal);
    await assert.rejects(a, (err) => err === terminal);
    await assert.rejects(b, (err) => err === terminal);
    assert.equal(sessions.size, 0);
    assert.deepEqual(eventsFor('t-fail'), ['created', 'removed:failed']);

    const plain = new Error('socket hang up');
    const c = sessions.acquire('t-fail', never());
    assert.equal(backend.calls.length, 2);
    backend.call(1).result.reject(plain);
    const wrapped = await rejectsWithCode(c, 'SG_BACKEND_UNAVAILABLE');
    assert.equal(wrapped.cause, plain);
  });

  test('the per-tenant lease cap rejects with SG_TENANT_CONN_LIMIT and frees up on release', async () => {
    const { backend, sessions } = setup({ maxConnectionsPerTenant: 2 });
    const first = sessions.acquire('t-cap', never());
    backend.call(0).result.resolve(endpoint('ep-1'));
    const a = await first;
    await sessions.acquire('t-cap', never());
    const err = await rejectsWithCode(sessions.acquire('t-cap', never()), 'SG_TENANT_CONN_LIMIT');
    assert.equal(err.status, 429);
    assert.equal(sessions.activeLeases('t-cap'), 2);
    // Another tenant is not affected.
    const other = sessions.acquire('t-cap-other', never());
    backend.call(1).result.resolve(endpoint('ep-o'));
    await other;
    a.release();
    a.release(); // idempotent
    assert.equal(sessions.activeLeases('t-cap'), 1);
    await sessions.acquire('t-cap', never());
    assert.equal(sessions.activeLeases('t-cap'), 2);
  });

  test('the lease cap holds for acquires that wait on the same ensure', async () => {
    const { backend, sessions } = setup({ maxConnectionsPerTenant: 2 });
    const pending = Array.from({ length: 3 }, () => sessions.acquire('t-cap-burst', never()));
    backend.call(0).result.resolve(endpoint('ep-1'));
    const results = await Promise.allSettled(pending);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 2);
    assert.equal(refused.length, 1);
    assert.equal((refused[0]?.reason as SandgateError).code, 'SG_TENANT_CONN_LIMIT');
    assert.equal(sessions.activeLeases('t-cap-burst'), 2);
  });

  test('idle reap: never while a lease is held, then after the TTL from the last release', async () => {
    const { backend, sessions, clock } = setup({ idleTtlMs: 1_000 });
    const p = sessions.acquire('t-idle', never());
    // A session that is still ensuring is never reaped.
    clock.t += 5_000;
    assert.deepEqual(await sessions.reap(), []);
    backend.call(0).result.resolve(endpoint('ep-1'));
    const lease = await p;
    clock.t += 5_000;
    assert.deepEqual(await sessions.reap(), [], 'a held lease keeps the session');
    lease.release();
    clock.t += 999;
    assert.deepEqual(await sessions.reap(), [], 'not idle for the full TTL yet');
    assert.deepEqual(backend.released, []);
    clock.t += 1;
    assert.deepEqual(await sessions.reap(), ['t-idle']);
    assert.deepEqual(backend.released, ['t-idle']);
    assert.equal(sessions.size, 0);
    assert.deepEqual(eventsFor('t-idle'), ['created', 'removed:idle']);
  });

  test('a lease terminated while its connection is still being set up ends it as soon as it registers', async () => {
    const { backend, sessions, clock } = setup({ idleTtlMs: 0, maxLifetimeMs: 10_000 });
    const p = sessions.acquire('t-early', never());
    backend.call(0).result.resolve(endpoint('ep-1'));
    const lease = await p;
    clock.t += 10_000;
    assert.deepEqual(await sessions.reap(), ['t-early']);
    const terminated: string[] = [];
    lease.onTerminate((err) => terminated.push(err.code));
    assert.deepEqual(terminated, ['SG_SESSION_EXPIRED']);
  });

  test('max lifetime reaps a session with open leases and terminates them with SG_SESSION_EXPIRED', async () => {
    const { backend, sessions, clock } = setup({ idleTtlMs: 0, maxLifetimeMs: 10_000 });
    const p = sessions.acquire('t-life', never());
    backend.call(0).result.resolve(endpoint('ep-1'));
    const lease = await p;
    const terminated: SandgateError[] = [];
    lease.onTerminate((err) => terminated.push(err));
    clock.t += 9_999;
    assert.deepEqual(await sessions.reap(), []);
    assert.equal(terminated.length, 0);
    clock.t += 1;
    assert.deepEqual(await sessions.reap(), ['t-life']);
    assert.deepEqual(
      terminated.map((e) => e.code),
      ['SG_SESSION_EXPIRED'],
    );
    assert.equal(terminated[0]?.closeCode, 1001);
    assert.deepEqual(backend.released, ['t-life']);
    assert.deepEqual(eventsFor('t-life'), ['created', 'removed:lifetime']);
    // Releasing the lease afterwards is harmless and the next acquire starts over.
    lease.release();
    const next = sessions.acquire('t-life', never());
    assert.equal(backend.calls.length, 2);
    backend.call(1).result.resolve(endpoint('ep-2'));
    assert.equal((await next).endpoint.id, 'ep-2');
  });

  test('invalidate drops only the matching endpoint; the next acquire re-ensures', async () => {
    const { backend, sessions } = setup();
    const p = sessions.acquire('t-inv', never());
    backend.call(0).result.resolve(endpoint('ep-1'));
    await p;
    sessions.invalidate('t-inv', 'ep-0', 'stale report');
    assert.equal(sessions.size, 1);
    assert.deepEqual(backend.released, []);
    assert.equal((await sessions.acquire('t-inv', never())).endpoint.id, 'ep-1');
    assert.equal(backend.calls.length, 1);

    sessions.invalidate('t-inv', 'ep-1', 'connection refused');
    assert.equal(sessions.size, 0);
    await turn();
    assert.deepEqual(backend.released, ['t-inv']);
    assert.deepEqual(eventsFor('t-inv'), ['created', 'removed:lost']);
    const next = sessions.acquire('t-inv', never());
    assert.equal(backend.calls.length, 2);
    backend.call(1).result.resolve(endpoint('ep-2'));
    assert.equal((await next).endpoint.id, 'ep-2');
    sessions.invalidate('t-unknown', 'ep-x', 'nothing to do');
    assert.equal(sessions.size, 1);
  });

  test('after a loss, the next ensure waits until the lost sandbox is released (per-tenant names would collide)', async () => {
    const { backend, sessions } = setup();
    const p = sessions.acquire('t-lost-slow', never());
    backend.call(0).result.resolve(endpoint('ep-1'));
    await p;
    backend.releaseGate = deferred<void>();
    sessions.invalidate('t-lost-slow', 'ep-1', 'connection refused');
    const next = sessions.acquire('t-lost-slow', never());
    await turn();
    assert.deepEqual(backend.released, ['t-lost-slow']);
    assert.equal(backend.calls.length, 1, 'no ensure while the previous sandbox is still being destroyed');
    backend.releaseGate.resolve();
    await turn();
    assert.equal(backend.calls.length, 2);
    backend.call(1).result.resolve(endpoint('ep-2'));
    assert.equal((await next).endpoint.id, 'ep-2');
  });

  test('a stale invalidate while the next sandbox is still ensuring is ignored', async () => {
    const { backend, sessions } = setup();
    const p = sessions.acquire('t-inv-ensuring', never());
    sessions.invalidate('t-inv-ensuring', 'ep-old', 'previous incarnation exited');
    assert.equal(sessions.size, 1);
    backend.call(0).result.resolve(endpoint('ep-new'));
    assert.equal((await p).endpoint.id, 'ep-new');
    assert.equal(backend.calls.length, 1);
    await turn();
    assert.deepEqual(backend.released, [], 'the sandbox being provisioned must not be released');
    assert.deepEqual(eventsFor('t-inv-ensuring'), ['created']);
  });

  test('backend onLost drops the session', async () => {
    const { backend, sessions } = setup();
    const p = sessions.acquire('t-lost', never());
    backend.call(0).result.resolve(endpoint('ep-1'));
    await p;
    backend.lose('t-lost', 'ep-9', 'some other incarnation');
    assert.equal(sessions.size, 1);
    backend.lose('t-lost', 'ep-1', 'oom killed');
    assert.equal(sessions.size, 0);
    assert.deepEqual(eventsFor('t-lost'), ['created', 'removed:lost']);
    const next = sessions.acquire('t-lost', never());
    await turn(); // the lost sandbox's release settles first
    assert.equal(backend.calls.length, 2);
    backend.call(1).result.resolve(endpoint('ep-2'));
    assert.equal((await next).endpoint.id, 'ep-2');
  });

  test('close terminates leases with SG_SHUTTING_DOWN, releases every sandbox and refuses new acquires', async () => {
    const { backend, sessions } = setup();
    const terminated: Array<[string, string]> = [];
    for (const tenant of ['t-close-a', 't-close-b']) {
      const p = sessions.acquire(tenant, never());
      backend.calls.at(-1)?.result.resolve(endpoint(`ep-${tenant}`));
      const lease = await p;
      lease.onTerminate((err) => terminated.push([tenant, err.code]));
    }
    // One acquire still waiting for its ensure when close() runs.
    const inFlight = sessions.acquire('t-close-c', never());
    await sessions.close();
    assert.deepEqual(terminated, [
      ['t-close-a', 'SG_SHUTTING_DOWN'],
      ['t-close-b', 'SG_SHUTTING_DOWN'],
    ]);
    assert.deepEqual([...backend.released].sort(), ['t-close-a', 't-close-b', 't-close-c']);
    assert.equal(sessions.size, 0);
    for (const t of ['t-close-a', 't-close-b', 't-close-c']) assert.deepEqual(eventsFor(t), ['created', 'removed:shutdown']);
    backend.call(2).result.resolve(endpoint('ep-late'));
    await rejectsWithCode(inFlight, 'SG_SHUTTING_DOWN');
    const err = await rejectsWithCode(sessions.acquire('t-close-a', never()), 'SG_SHUTTING_DOWN');
    assert.equal(err.status, 503);
    assert.equal(backend.calls.length, 3);
  });
});
