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

export interface SessionsOptions {
  backend: Backend;
  ensureTimeoutMs: number;
  idleTtlMs: number;
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
  endpoint?: Endpoint;
  ensuring?: Promise<Endpoint> | undefined;
  leases: Set<Lease>;
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
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

  snapshot(): Array<{ tenant: string; createdAt: number; lastActive: number; leases: number; ready: boolean }> {
    return [...this.sessions.values()].map((s) => ({
      tenant: s.tenant,
      createdAt: s.createdAt,
      lastActive: s.lastActive,
      leases: s.leases.size,
      ready: s.endpoint !== undefined,
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
    const started = this.now();
    const timeoutMs = this.options.ensureTimeoutMs;
    // A plain timer, cleared on settle: AbortSignal.timeout would keep its timer alive for the
    // whole deadline after the sandbox is ready (memory per idle session).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const deadline = controller.signal;
    const timeoutError = () => new SandgateError('SG_ENSURE_TIMEOUT', `sandbox was not ready within ${timeoutMs} ms`, { retryAfter: 2 });
    const work = this.options.backend.ensure(session.tenant, { signal: deadline });
    session.ensuring = raceAbort(work, deadline).then(
      (endpoint) => {
        clearTimeout(timer);
        session.ensuring = undefined;
        session.endpoint = endpoint;
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
    // Waiters subscribe through raceAbort; one whose signal was already aborted never does, and a
    // shared ensure that then fails must not become an unhandled rejection (it would crash the process).
    session.ensuring.catch(() => undefined);
    return session.ensuring;
  }

  /** The endpoint is dead (refused, reset, sandbox exited): drop it so the next acquire re-ensures. */
  invalidate(tenant: string, endpointId: string, _reason: string): void {
    const session = this.sessions.get(tenant);
    // Only the endpoint that was reported dead: a report about an earlier incarnation must not drop
    // (and release) a sandbox that is still being provisioned or already replaced it.
    if (!session || session.endpoint?.id !== endpointId) return;
    this.remove(session, 'lost');
    void this.releaseSandbox(tenant, 'lost');
  }

  private remove(session: Session, reason: NonNullable<SessionEvent['reason']>, error?: SandgateError): void {
    if (this.sessions.get(session.tenant) !== session) return;
    this.sessions.delete(session.tenant);
    publishSession({ type: 'removed', tenant: session.tenant, reason });
    if (error) for (const lease of session.leases) lease.terminate(error);
  }

  /** One pass of the reaper. Returns the tenants it removed. */
  async reap(): Promise<string[]> {
    const now = this.now();
    const removed: string[] = [];
    const reasons = new Map<string, 'idle' | 'lifetime'>();
    const { idleTtlMs, maxLifetimeMs } = this.options;
    for (const session of [...this.sessions.values()]) {
      if (session.ensuring) continue;
      const expired = maxLifetimeMs > 0 && now - session.createdAt >= maxLifetimeMs;
      const idle = idleTtlMs > 0 && session.leases.size === 0 && now - session.lastActive >= idleTtlMs;
      if (!expired && !idle) continue;
      this.remove(session, expired ? 'lifetime' : 'idle', expired ? new SandgateError('SG_SESSION_EXPIRED') : undefined);
      removed.push(session.tenant);
      reasons.set(session.tenant, expired ? 'lifetime' : 'idle');
    }
    await Promise.all(removed.map((t) => this.releaseSandbox(t, reasons.get(t) ?? 'idle')));
    return removed;
  }

  /** Explicitly destroys one tenant's sandbox. */
  async release(tenant: string): Promise<void> {
    const session = this.sessions.get(tenant);
    if (session) this.remove(session, 'released', new SandgateError('SG_SANDBOX_DIED', 'sandbox was released'));
    await this.releaseSandbox(tenant, 'released', true);
  }

  /** Stops the reaper, terminates leases with SG_SHUTTING_DOWN and releases every sandbox. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    const all = [...this.sessions.values()];
    for (const s of all) this.remove(s, 'shutdown', new SandgateError('SG_SHUTTING_DOWN'));
    await Promise.all(all.map((s) => this.releaseSandbox(s.tenant, 'shutdown')));
  }

  /** Gives the sandbox back to the backend and publishes when it is gone. */
  private async releaseSandbox(tenant: string, reason: NonNullable<SessionEvent['reason']>, rethrow = false): Promise<void> {
    try {
      await this.options.backend.release(tenant);
      publishReleased({ tenant, reason, ok: true });
    } catch (err) {
      publishReleased({ tenant, reason, ok: false });
      if (rethrow) throw err;
    }
  }
}
