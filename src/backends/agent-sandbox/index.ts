/**
 * agent-sandbox backend: one SandboxClaim (extensions.agents.x-k8s.io) per tenant. The claim binds
 * a ready Sandbox from the warm pool (or a cold one), and the endpoint is the pod IP + sandbox port
 * under the runtime's secret path. Waits use one watch (waitFor), never polls. The claim name is
 * deterministic, so it is the lock across gateway replicas: create → 409 → adopt.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { SandgateError } from '../../errors/errors.js';
import { isConflict, isNotFound, kubeMessage, kubeStatus } from '../../kube/errors.js';
import { labelValue, resourceName } from '../../kube/names.js';
import { waitFor } from '../../kube/wait-for.js';
import { raceAbort } from '../../util/abort.js';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../types.js';
import { ClaimApi } from './api.js';
import { claimBody, claimState, endpointId, terminalError, type ClaimLabels, type SandboxClaim } from './claim.js';
import { ClaimInformer, newer } from './lost-watch.js';

export const MANAGED_BY_LABEL = 'sandgate.io/gateway';
export const TENANT_ANNOTATION = 'sandgate.io/tenant';

export interface AgentSandboxOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** SandboxWarmPool every claim refers to (its template defines the sandbox pod). */
  warmPool: string;
  /** Port of the sandbox runtime in the pod. */
  sandboxPort: number;
  /** Path secret of the runtime (SANDGATE_SANDBOX_SECRET in the template's pod). */
  sandboxSecret: string;
  /** Value of the managed-by label: list() and the informer see only claims carrying it. */
  gatewayId: string;
  namePrefix: string;
  /** Domain-prefixed label key (allowed by the controller) carrying the tenant on claim and pod. */
  tenantLabelKey: string;
  /** Backstop for waits the caller does not bound itself (ms). */
  maxWaitMs?: number;
}

/** One tenant's claim as this gateway instance knows it. */
interface Claimed {
  tenant: string;
  name: string;
  state: 'starting' | 'ready' | 'stopping';
  endpoint?: Endpoint;
  /** resourceVersion of the claim when it was seen Ready (older informer events are ignored). */
  readyVersion?: string | undefined;
  abort: AbortController;
  waiters: number;
}

interface Tracked extends Claimed {
  /** The single provisioning every concurrent ensure() of the tenant waits on. */
  pending: Promise<Endpoint>;
}

type Bound = { claim: SandboxClaim; podIP: string } | { gone: true };

export class AgentSandboxBackend implements Backend {
  readonly name = 'agent-sandbox';
  readonly capabilities: Capabilities = { suspend: false, livePause: false, persistentState: false, warmPool: true, isolation: 'pod', suspendKeeps: [] };
  private readonly api: ClaimApi;
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners: LostListener[] = [];
  private readonly labels: ClaimLabels;
  private informer: ClaimInformer | undefined;
  private closed = false;

  constructor(private readonly options: AgentSandboxOptions) {
    this.api = new ClaimApi(options.kubeConfig, options.namespace);
    this.labels = { managedByKey: MANAGED_BY_LABEL, gatewayId: options.gatewayId, tenantLabelKey: options.tenantLabelKey, tenantAnnotation: TENANT_ANNOTATION };
    resourceName(options.namePrefix, 'x'); // validates the prefix now
  }

  private get selector(): string {
    return `${MANAGED_BY_LABEL}=${labelValue(this.options.gatewayId)}`;
  }

  claimName(tenant: string): string {
    return resourceName(this.options.namePrefix, tenant);
  }

  async start(): Promise<void> {
    await this.api.discover();
    this.informer = new ClaimInformer(this.options.kubeConfig, this.api, this.selector, (claim, deleted) => this.observe(claim, deleted));
    await this.informer.start();
  }

  onLost(listener: LostListener): void {
    this.listeners.push(listener);
  }

  async ensure(tenant: string, { signal }: EnsureOptions): Promise<Endpoint> {
    if (this.closed) throw new SandgateError('SG_BACKEND_UNAVAILABLE', 'backend is closed');
    let t = this.tracked.get(tenant);
    if (t?.state === 'ready' && t.endpoint) return t.endpoint;
    if (!t || t.state === 'stopping') {
      const claimed: Claimed = { tenant, name: this.claimName(tenant), state: 'starting', abort: new AbortController(), waiters: 0 };
      const fresh: Tracked = Object.assign(claimed, { pending: this.provision(claimed) });
      fresh.pending.catch(() => {
        if (this.tracked.get(tenant) === fresh) this.tracked.delete(tenant);
      });
      this.tracked.set(tenant, fresh);
      t = fresh;
    }
    const entry = t;
    entry.waiters++;
    try {
      return await raceAbort(entry.pending, signal);
    } catch (err) {
      if (signal.aborted && entry.waiters === 1 && entry.state === 'starting') {
        // The last caller gave up: stop provisioning and remove the claim before reporting.
        entry.abort.abort(signal.reason);
        if (this.tracked.get(tenant) === entry) this.tracked.delete(tenant);
        await entry.pending.catch(() => undefined);
      }
      throw err;
    } finally {
      entry.waiters--;
    }
  }

  private async provision(t: Claimed): Promise<Endpoint> {
    const deadline = Date.now() + (this.options.maxWaitMs ?? 300_000);
    const body = claimBody({ ...this.labels, apiVersion: this.api.apiVersion, name: t.name, namespace: this.options.namespace, tenant: t.tenant, tenantValue: labelValue(t.tenant), warmPool: this.options.warmPool });
    let created = false;
    try {
      for (;;) {
        created = await this.createOrAdopt(body, t);
        const bound = await waitFor(this.api.named(t.name), (claims) => this.bound(t, claims[0]), { deadline, signal: t.abort.signal, what: `SandboxClaim ${t.name} to become Ready` });
        if ('gone' in bound) continue; // deleted meanwhile (an older claim being removed): create again
        const endpoint: Endpoint = { host: bound.podIP, port: this.options.sandboxPort, basePath: `/${this.options.sandboxSecret}`, id: endpointId(bound.claim, bound.podIP) };
        if (t.abort.signal.aborted) throw new SandgateError('SG_ENSURE_ABORTED', 'sandbox provisioning was aborted');
        t.endpoint = endpoint;
        t.readyVersion = bound.claim.metadata?.resourceVersion;
        t.state = 'ready';
        return endpoint;
      }
    } catch (err) {
      // Only a claim this instance created: an adopted one belongs to the replica still waiting on it.
      if (t.abort.signal.aborted && created) await this.deleteClaim(t.name).catch(() => undefined);
      throw err;
    }
  }

  /** True when this call created the claim, false when it exists already (adopted). */
  private async createOrAdopt(body: SandboxClaim, t: Claimed): Promise<boolean> {
    try {
      await this.api.create(body);
      return true;
    } catch (err) {
      if (isConflict(err)) return false; // another replica (or an earlier claim) holds the name: adopt it
      // 400/422: the API server rejects the claim itself (schema, names): retrying cannot help.
      const status = kubeStatus(err);
      const code = status === 400 || status === 422 ? 'SG_BACKEND_TERMINAL' : 'SG_BACKEND_UNAVAILABLE';
      throw new SandgateError(code, `creating SandboxClaim ${t.name} failed: ${kubeMessage(err)}`, { cause: err, ...(code === 'SG_BACKEND_TERMINAL' ? { detail: { reason: 'Invalid' } } : {}) });
    }
  }

  /** The waitFor predicate: ready → endpoint; deleting → keep waiting; gone → create again; terminal → throw. */
  private bound(t: Claimed, claim: SandboxClaim | undefined): Bound | undefined {
    if (!claim) return { gone: true };
    const owner = claim.metadata?.labels?.[MANAGED_BY_LABEL];
    const tenant = claim.metadata?.annotations?.[TENANT_ANNOTATION];
    if (owner !== labelValue(this.options.gatewayId) || tenant !== t.tenant) {
      throw new SandgateError('SG_BACKEND_TERMINAL', `SandboxClaim ${t.name} exists but belongs to ${owner ?? 'nobody'}/${tenant ?? '?'}, not this gateway's tenant`, { detail: { reason: 'NameTaken' } });
    }
    const state = claimState(claim);
    if (state.kind === 'ready') return { claim, podIP: state.podIP };
    if (state.kind === 'terminal') throw terminalError(t.name, state);
    return undefined; // pending or being deleted
  }

  /** Informer events: a handed-out endpoint that is no longer Ready at that address is lost. */
  private observe(claim: SandboxClaim, deleted: boolean): void {
    const tenant = claim.metadata?.annotations?.[TENANT_ANNOTATION];
    const t = tenant === undefined ? undefined : this.tracked.get(tenant);
    if (!t || t.state !== 'ready' || !t.endpoint || t.name !== claim.metadata?.name) return;
    if (!deleted && !newer(claim.metadata?.resourceVersion, t.readyVersion)) return;
    const state = claimState(claim);
    let reason: string | undefined;
    if (deleted) reason = `SandboxClaim ${t.name} was deleted`;
    else if (state.kind !== 'ready') reason = `SandboxClaim ${t.name} is no longer ready (${state.kind === 'pending' ? state.reason : state.kind})`;
    else if (endpointId(claim, state.podIP) !== t.endpoint.id) reason = `SandboxClaim ${t.name} moved to another pod`;
    if (!reason) return;
    this.tracked.delete(t.tenant);
    for (const l of this.listeners) l(t.tenant, t.endpoint.id, reason);
  }

  private async deleteClaim(name: string, uid?: string): Promise<void> {
    try {
      await this.api.delete(name, uid);
    } catch (err) {
      if (!isNotFound(err)) throw new SandgateError('SG_BACKEND_UNAVAILABLE', `deleting SandboxClaim ${name} failed: ${kubeMessage(err)}`, { cause: err });
    }
  }

  async release(tenant: string): Promise<void> {
    const t = this.tracked.get(tenant);
    const name = t?.name ?? this.claimName(tenant);
    if (t) {
      t.state = 'stopping';
      t.abort.abort(new Error('released'));
      await t.pending.catch(() => undefined);
    }
    const mine = (await this.ownClaims(`metadata.name=${name}`)).find((c) => c.metadata?.annotations?.[TENANT_ANNOTATION] === tenant);
    if (mine) {
      await this.deleteClaim(name, mine.metadata?.uid);
      // Foreground deletion: the claim is gone only after its Sandbox and pod are.
      await waitFor(this.api.named(name), (claims) => (claims.some((c) => c.metadata?.uid === mine.metadata?.uid) ? undefined : true), {
        deadline: Date.now() + (this.options.maxWaitMs ?? 300_000),
        what: `SandboxClaim ${name} to be deleted`,
      });
    }
    if (this.tracked.get(tenant) === t) this.tracked.delete(tenant);
  }

  private async ownClaims(fieldSelector?: string): Promise<SandboxClaim[]> {
    try {
      return (await this.api.list({ labelSelector: this.selector, ...(fieldSelector ? { fieldSelector } : {}) })).items;
    } catch (err) {
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `listing SandboxClaims failed: ${kubeMessage(err)}`, { cause: err });
    }
  }

  async list(): Promise<SandboxInfo[]> {
    const claims = await this.ownClaims();
    return claims
      .filter((c) => !c.metadata?.deletionTimestamp)
      .map((c) => {
        const state = claimState(c);
        const tenant = c.metadata?.annotations?.[TENANT_ANNOTATION] ?? '';
        const endpoint = this.tracked.get(tenant)?.endpoint;
        return {
          tenant,
          backend: this.name,
          resource: c.metadata?.name ?? '',
          state: state.kind === 'ready' ? 'ready' : 'starting',
          since: c.metadata?.creationTimestamp ? new Date(c.metadata.creationTimestamp) : new Date(0),
          ...(endpoint ? { endpoint } : {}),
        } satisfies SandboxInfo;
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.informer?.stop();
    await Promise.all([...this.tracked.keys()].map((tenant) => this.release(tenant)));
  }
}
