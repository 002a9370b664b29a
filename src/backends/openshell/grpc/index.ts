/**
 * openshell backend, gRPC mode: one OpenShell sandbox per tenant, created through the OpenShell
 * gateway API (openshell.v1.OpenShell) with a deterministic name, so the name is the lock across
 * gateway replicas (create → ALREADY_EXISTS → adopt, only when our labels say it is this tenant's).
 * Waits follow WatchSandbox (GetSandbox only where the gateway lacks it). The data path is the API's
 * own ForwardTcp tunnel, exposed to the relay as a loopback listener per sandbox (see tunnel.ts and
 * docs/backends/openshell.md for why and what it costs).
 */
import { status as Status } from '@grpc/grpc-js';
import type { Config } from '../../../config/schema.js';
import { SandgateError } from '../../../errors/errors.js';
import { grpcCode, grpcError } from '../../../grpc/status.js';
import { resourceName } from '../../../kube/names.js';
import { awaitFlight } from '../../flight.js';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../../types.js';
import { OpenShellApi } from './api.js';
import { ForwardTunnel } from './tunnel.js';
import { SandboxWatch, waitSandbox, type WatchTarget } from './watch.js';
import { createRequest, endpointId, NAME_MAX, ownedTenant, ownerSelector, sandboxState, terminalError, type Sandbox } from './wire.js';

export interface OpenShellGrpcOptions {
  /** HOST:PORT of the OpenShell gateway API. */
  endpoint: string;
  tls: boolean;
  caFile?: string | undefined;
  tokenFile?: string | undefined;
  /** Image of the sandbox runtime (spec.template.image). */
  image: string;
  runtimeClassName?: string | undefined;
  /** Argument vector of the runtime (default `sandgate sandbox --host 127.0.0.1 --port <sandboxPort>`). */
  command?: string[] | undefined;
  /** Port of the runtime on the sandbox's loopback. */
  sandboxPort: number;
  /** Path secret of the runtime (passed to it as SANDGATE_SANDBOX_SECRET). */
  sandboxSecret: string;
  /** Value of the managed-by label: list() sees only sandboxes carrying it. */
  gatewayId: string;
  namePrefix: string;
  /** Backstop for waits the caller does not bound itself (ms). */
  maxWaitMs?: number;
  /** GetSandbox interval for gateways without WatchSandbox (ms). */
  pollMs?: number;
}

export function openShellGrpcOptions(config: Config): OpenShellGrpcOptions {
  return {
    endpoint: config.openshellEndpoint,
    tls: config.openshellTls === 'on',
    caFile: config.openshellCaFile || undefined,
    tokenFile: config.openshellTokenFile || undefined,
    image: config.sandboxImage,
    sandboxPort: config.sandboxPort,
    sandboxSecret: config.sandboxSecret,
    gatewayId: config.gatewayId,
    namePrefix: config.namePrefix,
  };
}

interface Tracked {
  tenant: string;
  name: string;
  state: 'starting' | 'ready' | 'suspended' | 'stopping';
  /** metadata.id of the sandbox being provisioned or handed out. */
  id?: string | undefined;
  endpoint?: Endpoint | undefined;
  tunnel?: ForwardTunnel | undefined;
  lost?: SandboxWatch | undefined;
  abort: AbortController;
  waiters: number;
  pending: Promise<Endpoint>;
}

type Waited = { ready: Sandbox } | { stopped: true } | { gone: true };

export class OpenShellGrpcBackend implements Backend {
  readonly name = 'openshell';
  /**
   * StopSandbox keeps the sandbox record (name, policy, workspace volume) but not its compute: the
   * browser restarts empty, so suspend() exists (to free compute) without claiming live state.
   */
  readonly capabilities: Capabilities = { suspend: false, livePause: false, persistentState: false, warmPool: false, isolation: 'pod', suspendKeeps: [] };
  private readonly api: OpenShellApi;
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners: LostListener[] = [];
  private closed = false;
  private readonly pollMs: number;

  constructor(private readonly options: OpenShellGrpcOptions) {
    this.pollMs = options.pollMs ?? 250;
    this.api = new OpenShellApi({ endpoint: options.endpoint, tls: options.tls, caFile: options.caFile, tokenFile: options.tokenFile });
    resourceName(options.namePrefix, 'x', NAME_MAX); // validates the prefix now
    if (options.namePrefix.includes('--')) throw new SandgateError('SG_CONFIG_INVALID', 'namePrefix must not contain "--" (OpenShell sandbox names cannot)');
    if (options.sandboxSecret.length < 16) throw new SandgateError('SG_CONFIG_INVALID', 'openshell needs the sandbox path secret (sandboxSecret, at least 16 characters)');
  }

  sandboxName(tenant: string): string {
    return resourceName(this.options.namePrefix, tenant, NAME_MAX);
  }

  async start(): Promise<void> {}

  onLost(listener: LostListener): void {
    this.listeners.push(listener);
  }

  private deadline(): number {
    return Date.now() + (this.options.maxWaitMs ?? 300_000);
  }

  async ensure(tenant: string, { signal }: EnsureOptions): Promise<Endpoint> {
    if (this.closed) throw new SandgateError('SG_BACKEND_UNAVAILABLE', 'backend is closed');
    let t = this.tracked.get(tenant);
    if (t?.state === 'ready' && t.endpoint) return t.endpoint;
    if (!t || t.state === 'stopping' || t.state === 'suspended') {
      const entry = { tenant, name: this.sandboxName(tenant), state: 'starting', abort: new AbortController(), waiters: 0 } as Tracked;
      entry.pending = this.provision(entry);
      entry.pending.catch(() => this.forget(entry));
      this.tracked.set(tenant, entry);
      t = entry;
    }
    const entry = t;
    // The last caller giving up aborts provisioning; provision() deletes what it created.
    return awaitFlight(entry, entry.pending, signal, () => this.forget(entry));
  }

  /** Drops `t` unless a newer entry of its tenant replaced it meanwhile. */
  private forget(t: Tracked): void {
    if (this.tracked.get(t.tenant) === t) this.tracked.delete(t.tenant);
  }

  private async provision(t: Tracked): Promise<Endpoint> {
    const deadline = this.deadline();
    const signal = t.abort.signal;
    const aborted = () => new SandgateError('SG_ENSURE_ABORTED', 'sandbox provisioning was aborted', { cause: signal.reason });
    const request = createRequest({ name: t.name, tenant: t.tenant, image: this.options.image, runtimeClassName: this.options.runtimeClassName, port: this.options.sandboxPort, secret: this.options.sandboxSecret, gatewayId: this.options.gatewayId, command: this.options.command });
    let createdId: string | undefined;
    let replaced = false;
    try {
      for (;;) {
        if (signal.aborted) throw aborted();
        const { sandbox, created } = await this.createOrAdopt(t, request);
        const target: WatchTarget = { id: sandbox.metadata?.id ?? '', name: t.name };
        t.id = target.id;
        if (created) createdId = target.id;
        if (signal.aborted) throw aborted(); // checked after create: the call itself is never cut off mid-way
        const state = sandboxState(sandbox);
        if (!created && state.kind === 'error' && !replaced) {
          // A leftover of an earlier failure or crash: replace it once, then report what the new one does.
          replaced = true;
          await this.remove(target, deadline);
          continue;
        }
        if (state.kind === 'stopped' && state.phase === 'SANDBOX_PHASE_STOPPED') await this.api.lifecycle('StartSandbox', t.name, signal);
        const waited = await waitSandbox<Waited>(this.api, target, (s) => this.readiness(t.name, s), { deadline, signal, what: `OpenShell sandbox ${t.name} to become ready`, pollMs: this.pollMs });
        if (!('ready' in waited)) continue; // gone (deleted meanwhile) or stopped by someone: create / start again
        return await this.handOut(t, waited.ready);
      }
    } catch (err) {
      const terminal = err instanceof SandgateError && err.code === 'SG_BACKEND_TERMINAL';
      // Only a sandbox this call created: an adopted one belongs to the replica still waiting on it.
      if (createdId && t.id === createdId && (signal.aborted || terminal)) await this.remove({ id: createdId, name: t.name }, this.deadline()).catch(() => undefined);
      throw err;
    }
  }

  private async createOrAdopt(t: Tracked, request: ReturnType<typeof createRequest>): Promise<{ sandbox: Sandbox; created: boolean }> {
    for (;;) {
      try {
        return { sandbox: await this.api.create(request), created: true };
      } catch (err) {
        if (grpcCode(err) !== Status.ALREADY_EXISTS) throw grpcError(`CreateSandbox ${t.name}`, err);
      }
      const existing = await this.api.get(t.name);
      if (!existing) continue; // deleted between the two calls
      const owner = ownedTenant(existing, this.options);
      if (owner !== t.tenant) {
        throw new SandgateError('SG_BACKEND_TERMINAL', `OpenShell sandbox ${t.name} exists but is not this gateway's sandbox for tenant ${JSON.stringify(t.tenant)} (labels ${JSON.stringify(existing.metadata?.labels ?? {})})`, { detail: { reason: 'NameTaken' } });
      }
      return { sandbox: existing, created: false };
    }
  }

  /** The wait predicate while provisioning: ready → hand out; error → terminal; deleting → until gone. */
  private readiness(name: string, sandbox: Sandbox | undefined): Waited | undefined {
    if (!sandbox) return { gone: true };
    const state = sandboxState(sandbox);
    if (state.kind === 'ready') return { ready: sandbox };
    if (state.kind === 'error') throw terminalError(name, state);
    if (state.kind === 'stopped' && state.phase === 'SANDBOX_PHASE_STOPPED') return { stopped: true };
    return undefined;
  }

  private async handOut(t: Tracked, sandbox: Sandbox): Promise<Endpoint> {
    const tunnel = new ForwardTunnel(this.api, { sandboxId: t.id ?? '', port: this.options.sandboxPort });
    await tunnel.listen();
    if (t.abort.signal.aborted) {
      await tunnel.close();
      throw new SandgateError('SG_ENSURE_ABORTED', 'sandbox provisioning was aborted', { cause: t.abort.signal.reason });
    }
    const endpoint: Endpoint = { host: '127.0.0.1', port: tunnel.port, basePath: `/${this.options.sandboxSecret}`, id: endpointId(sandbox) };
    Object.assign(t, { tunnel, endpoint, state: 'ready' });
    t.lost = new SandboxWatch(this.api, { id: t.id ?? '', name: t.name }, {
      onSandbox: (s) => this.observe(t, endpoint, s),
      onError: (err) => this.lose(t, endpoint, `cannot follow the sandbox any more: ${err.message}`, false),
    }, { pollMs: 2000 }).start();
    return endpoint;
  }

  /** A handed-out endpoint whose sandbox failed, is being deleted, stopped or gone is lost. */
  private observe(t: Tracked, endpoint: Endpoint, sandbox: Sandbox | undefined): void {
    if (!sandbox) return this.lose(t, endpoint, `OpenShell sandbox ${t.name} was deleted`, false);
    const state = sandboxState(sandbox);
    if (state.kind === 'error') this.lose(t, endpoint, `OpenShell sandbox ${t.name} failed: ${state.reason}: ${state.message}`, true);
    else if (state.kind === 'deleting') this.lose(t, endpoint, `OpenShell sandbox ${t.name} is being deleted`, false);
    else if (state.kind === 'stopped') this.lose(t, endpoint, `OpenShell sandbox ${t.name} was stopped`, false);
  }

  private lose(t: Tracked, endpoint: Endpoint, reason: string, dead: boolean): void {
    if (this.tracked.get(t.tenant) !== t || t.state !== 'ready' || t.endpoint !== endpoint) return;
    this.forget(t);
    t.state = 'stopping';
    t.lost?.stop();
    void t.tunnel?.close();
    for (const l of this.listeners) l(t.tenant, endpoint.id, reason);
    // A failed sandbox stays in ERROR until deleted; remove it so the next ensure starts afresh.
    if (dead && t.id) void this.remove({ id: t.id, name: t.name }, this.deadline()).catch(() => undefined);
  }

  /** Deletes sandbox `target` (only that incarnation) and waits until it is gone. */
  private async remove(target: WatchTarget, deadline: number): Promise<void> {
    const current = await this.api.get(target.name);
    if (current?.metadata?.id !== target.id) return;
    await this.api.delete(target.name);
    await waitSandbox(this.api, target, (s) => (s ? undefined : true), { deadline, what: `OpenShell sandbox ${target.name} to be deleted`, pollMs: this.pollMs });
  }

  private async detach(t: Tracked): Promise<void> {
    t.lost?.stop();
    await t.tunnel?.close();
    t.lost = undefined;
    t.tunnel = undefined;
    t.endpoint = undefined;
  }

  async release(tenant: string): Promise<void> {
    const t = this.tracked.get(tenant);
    const name = t?.name ?? this.sandboxName(tenant);
    if (t) {
      t.state = 'stopping';
      t.abort.abort(new Error('released'));
      await t.pending.catch(() => undefined);
      await this.detach(t);
    }
    const existing = await this.api.get(name);
    if (existing && ownedTenant(existing, this.options) === tenant) await this.remove({ id: existing.metadata?.id ?? '', name }, this.deadline());
    if (t) this.forget(t);
  }

  /** StopSandbox: compute is released, the sandbox record kept; the next ensure() starts it again. */
  async suspend(tenant: string): Promise<void> {
    const t = this.tracked.get(tenant);
    if (!t || t.state !== 'ready' || !t.id) throw new SandgateError('SG_NOT_FOUND', `tenant ${JSON.stringify(tenant)} has no ready OpenShell sandbox`);
    t.state = 'suspended';
    await this.detach(t);
    await this.api.lifecycle('StopSandbox', t.name);
    await waitSandbox(this.api, { id: t.id, name: t.name }, (s) => {
      if (!s) throw new SandgateError('SG_SANDBOX_DIED', `OpenShell sandbox ${t.name} disappeared while stopping`);
      const state = sandboxState(s);
      if (state.kind === 'error') throw terminalError(t.name, state);
      return state.kind === 'stopped' && state.phase === 'SANDBOX_PHASE_STOPPED' ? true : undefined;
    }, { deadline: this.deadline(), what: `OpenShell sandbox ${t.name} to stop`, pollMs: this.pollMs });
  }

  async resume(tenant: string): Promise<void> {
    await this.ensure(tenant, { signal: new AbortController().signal });
  }

  async list(): Promise<SandboxInfo[]> {
    const sandboxes = await this.api.list(ownerSelector(this.options));
    const out: SandboxInfo[] = [];
    for (const s of sandboxes) {
      const tenant = ownedTenant(s, this.options);
      const state = sandboxState(s);
      if (tenant === undefined || state.kind === 'deleting') continue;
      const tracked = this.tracked.get(tenant);
      const endpoint = tracked?.id === s.metadata?.id ? tracked?.endpoint : undefined;
      out.push({
        tenant,
        backend: this.name,
        resource: s.metadata?.name ?? '',
        state: state.kind === 'ready' ? 'ready' : state.kind === 'stopped' ? 'suspended' : state.kind === 'error' ? 'stopping' : 'starting',
        since: new Date(Number(s.metadata?.created_at_ms ?? 0)),
        ...(endpoint ? { endpoint } : {}),
      });
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.tracked.keys()].map((tenant) => this.release(tenant)));
    this.api.close();
  }
}
