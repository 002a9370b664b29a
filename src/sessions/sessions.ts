/**
 * Sessions: tenant → sandbox session. Single-flight ensure with one end-to-end deadline that a
 * departing caller cannot cancel for others; activity = open leases (WebSockets, in-flight HTTP);
 * one coarse reaper timer for idle TTL and max lifetime; dead endpoints are dropped so the next
 * acquire re-ensures. Knows backends only through the Backend interface.
 */
import type { Backend, Endpoint } from '../backends/types.js';
import { SandgateError, toSandgateError } from '../errors/errors.js';
import { publishEnsure, publishReleased, publishSession, type SessionEvent } from '../observability/events.js';
import { raceAbort } from '../util/abort.js';

export type ReleaseReason = NonNullable<SessionEvent['reason']>;

/** Extension points around a sandbox's life, e.g. browser-state persistence. Failures are swallowed. */
export interface SessionHooks {
  /** A sandbox became ready for the first time (not after a resume). Runs inside the ensure deadline. */
  afterEnsure?(tenant: string, endpoint: Endpoint): Promise<void>;
  /** A live sandbox is about to be released (not when it was lost). */
  beforeRelease?(tenant: string, endpoint: Endpoint, reason: ReleaseReason): Promise<void>;
}

export interface SessionsOptions {
  backend: Backend;
  ensureTimeoutMs: number;
  idleTtlMs: number;
  /** What the reaper does with an idle sandbox: release it, or suspend it (when the backend can). */
  idleAction?: 'release' | 'suspend';
  /** A suspended sandbox is released after this long (0 = kept until max lifetime). */
  suspendedTtlMs?: number;
  hooks?: SessionHooks;
  maxLifetimeMs: number;
  reapIntervalMs: number;
  maxConnectionsPerTenant: number;
  now?: () => number;
}

/** A unit of activity on a session (one WebSocket, one HTTP request). */
export interface Lease {
  tenant: string;
  endpoint: Endpoint;
  /** Call once when the connection ends. */
  release(): void;
  /**
   * Registers how the session can end this connection (max lifetime, shutdown). When the session
   * already ended while the connection was still being set up, `fn` runs at once.
   */
  onTerminate(fn: (err: SandgateError) => void): void;
  /** Ends the connection through the registered callback (or as soon as one is registered). */
  terminate(err: SandgateError): void;
}

interface Session {
  tenant: string;
  createdAt: number;
  lastActive: number;
  endpoint?: Endpoint | undefined;
  ensuring?: Promise<Endpoint> | undefined;
  leases: Set<Lease>;
  /** Set while suspended: when, and the endpoint id a resume gives back. */
  suspendedAt?: number | undefined;
  resumeId?: string | undefined;
  suspending?: Promise<void> | undefined;
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
  /** Releases in flight, by tenant: the tenant's next sandbox is ensured only after its previous one is gone. */
  private readonly releasing = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(private readonly options: SessionsOptions) {
    this.now = options.now ?? Date.now;
    options.backend.onLost((tenant, endpointId, reason) => this.invalidate(tenant, endpointId, reason));
  }

  start(): void {
    if (this.options.reapIntervalMs > 0) {
      this.timer = setInterval(() => void this.reap(), this.options.reapIntervalMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  activeLeases(tenant: string): number {
    return this.sessions.get(tenant)?.leases.size ?? 0;
  }

  snapshot(): Array<{ tenant: string; createdAt: number; lastActive: number; leases: number; ready: boolean; suspended: boolean }> {
    return [...this.sessions.values()].map((s) => ({
      tenant: s.tenant,
      createdAt: s.createdAt,
      lastActive: s.lastActive,
      leases: s.leases.size,
      ready: s.endpoint !== undefined,
      suspended: s.suspendedAt !== undefined,
    }));
  }

  /** Ensures the tenant's sandbox and takes a lease on it. `signal` is the caller's own. */
  async acquire(tenant: string, signal: AbortSignal): Promise<Lease> {
    if (this.closing) throw new SandgateError('SG_SHUTTING_DOWN');
    let session = this.sessions.get(tenant);
    if (session) this.checkLimit(session);
    if (!session) {
      session = { tenant, createdAt: this.now(), lastActive: this.now(), leases: new Set() };
      this.sessions.set(tenant, session);
      publishSession({ type: 'created', tenant });
    }
    const endpoint = await raceAbort(this.ensure(session), signal);
    if (this.sessions.get(tenant) !== session || this.closing) {
      // Removed (reaped, lost, shut down) while we waited: start over once.
      if (this.closing) throw new SandgateError('SG_SHUTTING_DOWN');
      return this.acquire(tenant, signal);
    }
    // Checked again: every caller that waited on the same ensure passed the first check.
    this.checkLimit(session);
    return this.lease(session, endpoint);
  }

  private checkLimit(session: Session): void {
    const limit = this.options.maxConnectionsPerTenant;
    if (limit > 0 && session.leases.size >= limit) {
      throw new SandgateError('SG_TENANT_CONN_LIMIT', `tenant already has ${session.leases.size} open connections (limit ${limit})`);
    }
  }

  private lease(session: Session, endpoint: Endpoint): Lease {
    let released = false;
    let terminated: SandgateError | undefined;
    let terminator: ((err: SandgateError) => void) | undefined;
    const lease: Lease = {
      tenant: session.tenant,
      endpoint,
      onTerminate: (fn) => {
        terminator = fn;
        if (terminated) fn(terminated);
      },
      terminate: (err) => {
        terminated ??= err;
        terminator?.(err);
      },
      release: () => {
        if (released) return;
        released = true;
        session.leases.delete(lease);
        session.lastActive = this.now();
      },
    };
    session.leases.add(lease);
    session.lastActive = this.now();
    return lease;
  }

  private ensure(session: Session): Promise<Endpoint> {
    if (session.endpoint) {
      publishEnsure({ backend: this.options.backend.name, outcome: 'ok', ms: 0, reused: true });
      return Promise.resolve(session.endpoint);
    }
    if (session.ensuring) return session.ensuring;
    session.ensuring = this.provision(session);
    // Waiters subscribe through raceAbort; one whose signal was already aborted never does, and a
    // shared ensure that then fails must not become an unhandled rejection (it would crash the process).
    session.ensuring.catch(() => undefined);
    return session.ensuring;
  }

  private provision(session: Session): Promise<Endpoint> {
    const started = this.now();
    const timeoutMs = this.options.ensureTimeoutMs;
    // A plain timer, cleared on settle: AbortSignal.timeout would keep its timer alive for the
    // whole deadline after the sandbox is ready (memory per idle session).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const deadline = controller.signal;
    const timeoutError = () => new SandgateError('SG_ENSURE_TIMEOUT', `sandbox was not ready within ${timeoutMs} ms`, { retryAfter: 2 });
    const ensure = () => this.options.backend.ensure(session.tenant, { signal: deadline });
    // A suspend still in flight finishes first, so the backend sees a consistent state; so does the release of
    // the tenant's previous sandbox (after a loss): backends reuse per-tenant names, and a new ensure racing
    // the old release would adopt the sandbox being destroyed.
    const start = () => (session.suspending ? session.suspending.then(ensure) : ensure());
    const previous = this.releasing.get(session.tenant);
    const ready = previous ? previous.then(start) : start();
    const work = ready.then(async (endpoint) => {
      const resumed = session.resumeId !== undefined && endpoint.id === session.resumeId;
      if (!resumed) await this.options.hooks?.afterEnsure?.(session.tenant, endpoint).catch(() => undefined);
      return endpoint;
    });
    return raceAbort(work, deadline).then(
      (endpoint) => {
        clearTimeout(timer);
        session.ensuring = undefined;
        session.endpoint = endpoint;
        if (session.suspendedAt !== undefined) publishSession({ type: 'resumed', tenant: session.tenant });
        session.suspendedAt = undefined;
        session.resumeId = undefined;
        publishEnsure({ backend: this.options.backend.name, outcome: 'ok', ms: this.now() - started, reused: false });
        return endpoint;
      },
      (err: unknown) => {
        clearTimeout(timer);
        session.ensuring = undefined;
        const error = deadline.aborted ? timeoutError() : toSandgateError(err, 'SG_BACKEND_UNAVAILABLE');
        publishEnsure({ backend: this.options.backend.name, outcome: 'error', code: error.code, ms: this.now() - started, reused: false });
        if (session.leases.size === 0) this.remove(session, 'failed');
        throw error;
      },
    );
  }

  /**
   * Suspends the tenant's sandbox with its live state (backends with capabilities.suspend):
   * open connections are closed with SG_SANDBOX_SUSPENDED; the next acquire resumes it.
   */
  async suspend(tenant: string): Promise<boolean> {
    const session = this.sessions.get(tenant);
    const backend = this.options.backend;
    if (!session?.endpoint || !backend.suspend || !backend.capabilities.suspend) return false;
    for (const lease of session.leases) lease.terminate(new SandgateError('SG_SANDBOX_SUSPENDED'));
    session.resumeId = session.endpoint.id;
    session.endpoint = undefined;
    session.suspendedAt = this.now();
    session.suspending = backend.suspend(tenant).finally(() => (session.suspending = undefined));
    await session.suspending;
    publishSession({ type: 'suspended', tenant });
    return true;
  }

  /** The endpoint is dead (refused, reset, sandbox exited): drop it so the next acquire re-ensures. */
  invalidate(tenant: string, endpointId: string, _reason: string): void {
    const session = this.sessions.get(tenant);
    // Only the endpoint that was reported dead: a report about an earlier incarnation must not drop
    // (and release) a sandbox that is still being provisioned or already replaced it.
    if (!session || session.endpoint?.id !== endpointId) return;
    this.remove(session, 'lost');
    void this.releaseSandbox(session, 'lost');
  }

  private remove(session: Session, reason: NonNullable<SessionEvent['reason']>, error?: SandgateError): void {
    if (this.sessions.get(session.tenant) !== session) return;
    this.sessions.delete(session.tenant);
    publishSession({ type: 'removed', tenant: session.tenant, reason });
    if (error) for (const lease of session.leases) lease.terminate(error);
  }

  /** One pass of the reaper. Returns the tenants it removed (suspensions are not removals). */
  async reap(): Promise<string[]> {
    const now = this.now();
    const { idleTtlMs, maxLifetimeMs, idleAction = 'release', suspendedTtlMs = 0 } = this.options;
    const released: Array<[Session, ReleaseReason]> = [];
    const suspends: Promise<boolean>[] = [];
    for (const session of [...this.sessions.values()]) {
      if (session.ensuring || session.suspending) continue;
      const expired = maxLifetimeMs > 0 && now - session.createdAt >= maxLifetimeMs;
      const idle = idleTtlMs > 0 && session.leases.size === 0 && now - session.lastActive >= idleTtlMs;
      if (expired) {
        this.remove(session, 'lifetime', new SandgateError('SG_SESSION_EXPIRED'));
        released.push([session, 'lifetime']);
      } else if (session.suspendedAt !== undefined) {
        if (suspendedTtlMs > 0 && now - session.suspendedAt >= suspendedTtlMs) {
          this.remove(session, 'idle');
          released.push([session, 'idle']);
        }
      } else if (idle && idleAction === 'suspend' && this.options.backend.capabilities.suspend) {
        suspends.push(this.suspend(session.tenant).catch(() => false));
      } else if (idle) {
        this.remove(session, 'idle');
        released.push([session, 'idle']);
      }
    }
    await Promise.all([...suspends, ...released.map(([s, reason]) => this.releaseSandbox(s, reason))]);
    return released.map(([s]) => s.tenant);
  }

  /** Explicitly destroys one tenant's sandbox. */
  async release(tenant: string): Promise<void> {
    const session = this.sessions.get(tenant);
    if (!session) return this.options.backend.release(tenant);
    this.remove(session, 'released', new SandgateError('SG_SANDBOX_DIED', 'sandbox was released'));
    await this.releaseSandbox(session, 'released', true);
  }

  /** Stops the reaper, terminates leases with SG_SHUTTING_DOWN and releases every sandbox. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    const all = [...this.sessions.values()];
    for (const s of all) this.remove(s, 'shutdown', new SandgateError('SG_SHUTTING_DOWN'));
    await Promise.all(all.map((s) => this.releaseSandbox(s, 'shutdown')));
  }

  /** Gives the sandbox back to the backend; until it is gone, the tenant's next ensure waits for it. */
  private releaseSandbox(session: Session, reason: ReleaseReason, rethrow = false): Promise<void> {
    const run = this.giveBack(session, reason, rethrow);
    const settled = run.catch(() => undefined);
    this.releasing.set(session.tenant, settled);
    void settled.then(() => {
      if (this.releasing.get(session.tenant) === settled) this.releasing.delete(session.tenant);
    });
    return run;
  }

  /** The release itself (after the beforeRelease hook); publishes when the sandbox is gone. */
  private async giveBack(session: Session, reason: ReleaseReason, rethrow: boolean): Promise<void> {
    const { tenant, endpoint } = session;
    try {
      await session.suspending;
      if (endpoint && reason !== 'lost' && reason !== 'failed') {
        await this.options.hooks?.beforeRelease?.(tenant, endpoint, reason).catch(() => undefined);
      }
      await this.options.backend.release(tenant);
      publishReleased({ tenant, reason, ok: true });
    } catch (err) {
      publishReleased({ tenant, reason, ok: false });
      if (rethrow) throw err;
    }
  }
}
