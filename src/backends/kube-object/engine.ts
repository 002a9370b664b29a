/**
 * The engine of every Kubernetes-object backend: one object per tenant, of a kind an `ObjectKind`
 * adapter describes. Single-flight provisioning shared by concurrent ensure() calls, abort when the
 * last waiter gives up (deleting only an object this instance created), deterministic names as the
 * cross-replica lock (create → 409 → adopt, only our own object for the same tenant), one watch per
 * wait (waitFor, never polls), release = delete (uid precondition) waited until gone, list() of this
 * gateway's objects only, and an informer that reports lost sandboxes through onLost (a handed-out
 * object that turned terminal is deleted then, so the next ensure() starts a new sandbox).
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { SandgateError } from '../../errors/errors.js';
import { isConflict, isNotFound, kubeMessage, kubeStatus } from '../../kube/errors.js';
import { labelValue, resourceName } from '../../kube/names.js';
import { waitFor } from '../../kube/wait-for.js';
import { raceAbort } from '../../util/abort.js';
import { awaitFlight } from '../flight.js';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../types.js';
import { ObjectApi } from './api.js';
import { endpointId, terminalError } from './conditions.js';
import { ObjectInformer, newer } from './informer.js';
import type { KubeObjectIdentity, KubeObjectOptions, ObjectKind, ObjectState } from './types.js';

export const MANAGED_BY_LABEL = 'sandgate.io/gateway';
export const TENANT_ANNOTATION = 'sandgate.io/tenant';

/** One tenant's object as this gateway instance knows it. */
interface Owned {
  tenant: string;
  name: string;
  state: 'starting' | 'ready' | 'stopping';
  endpoint?: Endpoint;
  /** resourceVersion of the object when it was seen ready (older informer events are ignored). */
  readyVersion?: string | undefined;
  abort: AbortController;
  waiters: number;
  /** uid of the object this provisioning resumed (a still-suspended read of it is stale: keep waiting). */
  resumed?: string | undefined;
}

interface Tracked extends Owned {
  /** The single provisioning every concurrent ensure() of the tenant waits on. */
  pending: Promise<Endpoint>;
}

/** What one wait on the object ends with. */
type Settled<T> = { ready: T; host?: string; incarnation?: string } | { suspended: T } | { gone: true };

export class KubeObjectBackend<T extends KubernetesObject> implements Backend {
  readonly name: string;
  readonly capabilities: Capabilities;
  protected readonly api: ObjectApi<T>;
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners: LostListener[] = [];
  private informer: ObjectInformer<T> | undefined;
  private closed = false;
  /** uids of handed-out objects that turned terminal and are being deleted (a later ensure waits them out). */
  private readonly discarded = new Set<string>();
  /** Present only for kinds with suspendPatch/resumePatch. */
  readonly suspend?: (tenant: string) => Promise<void>;
  readonly resume?: (tenant: string) => Promise<void>;

  constructor(
    protected readonly kind: ObjectKind<T>,
    identity: KubeObjectIdentity,
    protected readonly options: KubeObjectOptions,
  ) {
    this.name = identity.name;
    this.capabilities = identity.capabilities;
    this.api = new ObjectApi(options.kubeConfig, kind, options.namespace);
    resourceName(options.namePrefix, 'x', kind.maxNameLength); // validates the prefix now
    if (kind.suspendPatch && kind.resumePatch) {
      this.suspend = (tenant) => this.suspendObject(tenant);
      this.resume = (tenant) => this.ensure(tenant, { signal: AbortSignal.timeout(this.maxWait) }).then(() => undefined);
    }
  }

  private get selector(): string {
    return `${MANAGED_BY_LABEL}=${labelValue(this.options.gatewayId)}`;
  }

  private get maxWait(): number {
    return this.options.maxWaitMs ?? 300_000;
  }

  /** The deterministic object name of a tenant. */
  objectName(tenant: string): string {
    return resourceName(this.options.namePrefix, tenant, this.kind.maxNameLength);
  }

  async start(): Promise<void> {
    await this.api.discover();
    this.informer = new ObjectInformer(this.options.kubeConfig, this.api, this.selector, (obj, deleted) => this.observe(obj, deleted));
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
      const owned: Owned = { tenant, name: this.objectName(tenant), state: 'starting', abort: new AbortController(), waiters: 0 };
      const fresh: Tracked = Object.assign(owned, { pending: this.provision(owned) });
      fresh.pending.catch(() => {
        if (this.tracked.get(tenant) === fresh) this.tracked.delete(tenant);
      });
      this.tracked.set(tenant, fresh);
      t = fresh;
    }
    const entry = t;
    // The last caller to give up stops provisioning (provision() removes the object it created).
    return awaitFlight(entry, entry.pending, signal, () => {
      if (this.tracked.get(tenant) === entry) this.tracked.delete(tenant);
    });
  }

  private async provision(t: Owned): Promise<Endpoint> {
    const deadline = Date.now() + this.maxWait;
    let created = false;
    /** resourceVersion of a ready object resolve() could not place yet: wait for its next change. */
    let unresolved: string | undefined;
    try {
      if (this.kind.precheck) await raceAbort(this.kind.precheck(this.resolveContext(deadline, t.abort.signal)), t.abort.signal);
      for (;;) {
        created = await this.createOrAdopt(t);
        const settled = await waitFor(this.api.named(t.name), (objs) => (unresolved !== undefined && objs[0]?.metadata?.resourceVersion === unresolved ? undefined : this.settle(t, objs[0])), {
          deadline,
          signal: t.abort.signal,
          what: `${this.kind.kind} ${t.name} to become Ready`,
        });
        if ('gone' in settled) continue; // deleted meanwhile (an older object being removed): create again
        if ('suspended' in settled) {
          t.resumed = settled.suspended.metadata?.uid;
          await this.patch(t.name, settled.suspended, 'resume');
          continue;
        }
        const where = settled.host ? { host: settled.host, incarnation: settled.incarnation } : await this.resolve(settled.ready, deadline, t.abort.signal);
        if (!where) {
          unresolved = settled.ready.metadata?.resourceVersion; // not resolvable yet: wait for the object's next change
          continue;
        }
        if (t.abort.signal.aborted) throw new SandgateError('SG_ENSURE_ABORTED', 'sandbox provisioning was aborted');
        const id = endpointId(settled.ready, where.incarnation ?? where.host);
        t.endpoint = { host: where.host, port: this.options.sandboxPort, basePath: `/${this.options.sandboxSecret}`, id };
        t.readyVersion = settled.ready.metadata?.resourceVersion;
        t.state = 'ready';
        return t.endpoint;
      }
    } catch (err) {
      // Only an object this instance created: an adopted one belongs to the replica still waiting on it.
      if (t.abort.signal.aborted && created) await this.deleteObject(t.name).catch(() => undefined);
      throw err;
    }
  }

  private async resolve(obj: T, deadline: number, signal: AbortSignal): Promise<{ host: string; incarnation?: string | undefined } | undefined> {
    if (!this.kind.resolve) throw new SandgateError('SG_INTERNAL', `${this.kind.kind} adapter reported ready without a host and has no resolve()`);
    return raceAbort(this.kind.resolve(obj, this.resolveContext(deadline, signal)), signal);
  }

  private resolveContext(deadline: number, signal: AbortSignal) {
    return { kubeConfig: this.options.kubeConfig, namespace: this.options.namespace, deadline, signal };
  }

  /** True when this call created the object, false when it exists already (adopted). */
  private async createOrAdopt(t: Owned): Promise<boolean> {
    const tenantValue = labelValue(t.tenant);
    const podLabels = { [this.options.tenantLabelKey]: tenantValue };
    const podAnnotations = { [TENANT_ANNOTATION]: t.tenant };
    const metadata = {
      name: t.name,
      namespace: this.options.namespace,
      labels: { [MANAGED_BY_LABEL]: labelValue(this.options.gatewayId), ...podLabels },
      annotations: { ...podAnnotations },
    };
    const body = this.kind.body({ apiVersion: this.api.apiVersion, version: this.api.version, metadata, tenant: t.tenant, podLabels, podAnnotations });
    try {
      await this.api.create(body);
      return true;
    } catch (err) {
      if (isConflict(err)) return false; // another replica (or an earlier object) holds the name: adopt it
      // 400/422: the API server rejects the object itself (schema, names): retrying cannot help.
      const status = kubeStatus(err);
      const code = status === 400 || status === 422 ? 'SG_BACKEND_TERMINAL' : 'SG_BACKEND_UNAVAILABLE';
      throw new SandgateError(code, `creating ${this.kind.kind} ${t.name} failed: ${kubeMessage(err)}`, { cause: err, ...(code === 'SG_BACKEND_TERMINAL' ? { detail: { reason: 'Invalid' } } : {}) });
    }
  }

  /** The object is ours: this gateway's managed-by label and the tenant's annotation. */
  private owns(obj: T, tenant: string): boolean {
    return obj.metadata?.labels?.[MANAGED_BY_LABEL] === labelValue(this.options.gatewayId) && obj.metadata?.annotations?.[TENANT_ANNOTATION] === tenant;
  }

  /** The waitFor predicate: ready / suspended / gone end the wait; deleting, pending keep waiting; terminal throws. */
  private settle(t: Owned, obj: T | undefined): Settled<T> | undefined {
    if (!obj) return { gone: true };
    if (!this.owns(obj, t.tenant)) {
      const owner = obj.metadata?.labels?.[MANAGED_BY_LABEL];
      const tenant = obj.metadata?.annotations?.[TENANT_ANNOTATION];
      throw new SandgateError('SG_BACKEND_TERMINAL', `${this.kind.kind} ${t.name} exists but belongs to ${owner ?? 'nobody'}/${tenant ?? '?'}, not this gateway's tenant`, { detail: { reason: 'NameTaken' } });
    }
    const state = this.kind.state(obj);
    if (state.kind === 'ready') return { ready: obj, ...(state.host ? { host: state.host } : {}), ...(state.incarnation ? { incarnation: state.incarnation } : {}) };
    if (state.kind === 'terminal') {
      if (this.discarded.has(obj.metadata?.uid ?? '')) return undefined; // a dead sandbox being deleted: wait until it is gone
      throw terminalError(this.kind.kind, t.name, state);
    }
    if (state.kind === 'suspended') return t.resumed !== undefined && t.resumed === obj.metadata?.uid ? undefined : { suspended: obj };
    return undefined; // pending or being deleted
  }

  /** Informer events: a handed-out endpoint that is no longer ready at that address is lost. */
  private observe(obj: T, deleted: boolean): void {
    if (deleted) this.discarded.delete(obj.metadata?.uid ?? '');
    const tenant = obj.metadata?.annotations?.[TENANT_ANNOTATION];
    const t = tenant === undefined ? undefined : this.tracked.get(tenant);
    if (!t || t.state !== 'ready' || !t.endpoint || t.name !== obj.metadata?.name) return;
    if (!deleted && !newer(obj.metadata?.resourceVersion, t.readyVersion)) return;
    const reason = deleted ? `${this.kind.kind} ${t.name} was deleted` : this.lostReason(obj, this.kind.state(obj), t.endpoint);
    if (!reason) return;
    this.tracked.delete(t.tenant);
    const uid = obj.metadata?.uid;
    if (!deleted && uid && this.kind.state(obj).kind === 'terminal') {
      // A sandbox that served and then died for good (pod failed …) cannot come back: delete it, so
      // the next ensure() waits for it to go and starts a new one instead of reporting it terminal.
      this.discarded.add(uid);
      void this.deleteObject(t.name, uid).catch(() => this.discarded.delete(uid));
    }
    for (const l of this.listeners) l(t.tenant, t.endpoint.id, reason);
  }

  private lostReason(obj: T, state: ObjectState, endpoint: Endpoint): string | undefined {
    const name = obj.metadata?.name ?? '';
    if (state.kind !== 'ready') return `${this.kind.kind} ${name} is no longer ready (${state.kind === 'pending' ? state.reason : state.kind})`;
    const incarnation = state.incarnation ?? state.host;
    if (incarnation !== undefined && endpointId(obj, incarnation) !== endpoint.id) return `${this.kind.kind} ${name} moved to another pod`;
    return undefined;
  }

  private async deleteObject(name: string, uid?: string): Promise<void> {
    try {
      await this.api.delete(name, uid);
    } catch (err) {
      if (!isNotFound(err)) throw new SandgateError('SG_BACKEND_UNAVAILABLE', `deleting ${this.kind.kind} ${name} failed: ${kubeMessage(err)}`, { cause: err });
    }
  }

  /** Stops this instance's provisioning of the tenant and forgets it; returns the tenant's object if it is ours. */
  private async detach(tenant: string, why: string): Promise<{ name: string; mine: T | undefined }> {
    const t = this.tracked.get(tenant);
    const name = t?.name ?? this.objectName(tenant);
    if (t) {
      t.state = 'stopping';
      t.abort.abort(new Error(why));
      await t.pending.catch(() => undefined);
      if (this.tracked.get(tenant) === t) this.tracked.delete(tenant);
    }
    const mine = (await this.ownObjects(`metadata.name=${name}`)).find((o) => o.metadata?.annotations?.[TENANT_ANNOTATION] === tenant);
    return { name, mine };
  }

  async release(tenant: string): Promise<void> {
    const { name, mine } = await this.detach(tenant, 'released');
    if (!mine) return;
    await this.deleteObject(name, mine.metadata?.uid);
    // Foreground deletion: the object is gone only after its dependents (Sandbox, pod) are.
    await waitFor(this.api.named(name), (objs) => (objs.some((o) => o.metadata?.uid === mine.metadata?.uid) ? undefined : true), {
      deadline: Date.now() + this.maxWait,
      what: `${this.kind.kind} ${name} to be deleted`,
    });
  }

  /**
   * suspend(): stops the tenant's sandbox but keeps its object (suspendPatch); resolves once nothing
   * runs. The next ensure() (or resume()) resumes it. A no-op for tenants without an object.
   */
  private async suspendObject(tenant: string): Promise<void> {
    const { name, mine } = await this.detach(tenant, 'suspended');
    if (!mine) return;
    await this.patch(name, mine, 'suspend');
    const deadline = Date.now() + this.maxWait;
    const settled = await waitFor(this.api.named(name), (objs) => this.suspendSettled(name, mine, objs[0]), { deadline, what: `${this.kind.kind} ${name} to be suspended` });
    const signal = AbortSignal.timeout(Math.max(0, deadline - Date.now()));
    await this.kind.awaitStopped?.(settled, { kubeConfig: this.options.kubeConfig, namespace: this.options.namespace, deadline, signal });
  }

  private suspendSettled(name: string, mine: T, obj: T | undefined): T | undefined {
    if (!obj || obj.metadata?.uid !== mine.metadata?.uid) throw new SandgateError('SG_NOT_FOUND', `${this.kind.kind} ${name} was deleted while suspending`);
    const state = this.kind.state(obj);
    if (state.kind === 'suspended') return state.settled ? obj : undefined;
    if (state.kind === 'terminal') throw terminalError(this.kind.kind, name, state);
    return undefined;
  }

  private async patch(name: string, obj: T, action: 'suspend' | 'resume'): Promise<void> {
    const body = action === 'suspend' ? this.kind.suspendPatch?.(this.api.version) : this.kind.resumePatch?.(this.api.version);
    if (!body) throw new SandgateError('SG_BACKEND_TERMINAL', `${this.kind.kind} ${name} is suspended and ${this.name} cannot resume it`, { detail: { reason: 'Suspended' } });
    try {
      await this.api.patch(name, obj.metadata?.uid, body);
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return; // deleted or re-created meanwhile: the next wait sees it
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `${action} of ${this.kind.kind} ${name} failed: ${kubeMessage(err)}`, { cause: err });
    }
  }

  private async ownObjects(fieldSelector?: string): Promise<T[]> {
    try {
      return (await this.api.list({ labelSelector: this.selector, ...(fieldSelector ? { fieldSelector } : {}) })).items;
    } catch (err) {
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `listing ${this.kind.plural} failed: ${kubeMessage(err)}`, { cause: err });
    }
  }

  async list(): Promise<SandboxInfo[]> {
    const objs = await this.ownObjects();
    return objs
      .filter((o) => !o.metadata?.deletionTimestamp)
      .map((o) => {
        const state = this.kind.state(o);
        const tenant = o.metadata?.annotations?.[TENANT_ANNOTATION] ?? '';
        const endpoint = this.tracked.get(tenant)?.endpoint;
        return {
          tenant,
          backend: this.name,
          resource: o.metadata?.name ?? '',
          state: state.kind === 'ready' ? 'ready' : state.kind === 'suspended' ? 'suspended' : 'starting',
          since: o.metadata?.creationTimestamp ? new Date(o.metadata.creationTimestamp) : new Date(0),
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
