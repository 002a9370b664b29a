/**
 * substrate backend: one actor per tenant on the substrate control plane (gRPC ateapi.Control over
 * TLS). ensure = GetActor → CreateActor when absent → ResumeActor until RUNNING; the endpoint is
 * atenet-router with the actor's Host header (the router forwards to the actor's port 80 and
 * resumes suspended actors itself). release = SuspendActor if needed, then DeleteActor. start()
 * never touches an actor. See docs/backends/substrate.md.
 */
import { randomBytes } from 'node:crypto';
import { status as Status } from '@grpc/grpc-js';
import { SandgateError } from '../../errors/errors.js';
import { grpcCode } from '../../grpc/status.js';
import { awaitFlight } from '../flight.js';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../types.js';
import { ActorApi, type Actor, type ControlOptions } from './api.js';
import { destroy, settle } from './lifecycle.js';
import { actorName, ownerPrefix, parseTemplate, routerHost } from './names.js';

export interface SubstrateOptions extends ControlOptions {
  /** NAMESPACE/NAME of the ActorTemplate (its workload runs `sandgate sandbox --port 80`). */
  actorTemplate: string;
  /** Optional per-actor placement constraint (CreateActor worker_selector). */
  workerSelector?: Record<string, string>;
  /** HOST:PORT of atenet-router. */
  router: string;
  /** Path secret of the runtimes in the actors. */
  sandboxSecret: string;
  gatewayId: string;
  namePrefix: string;
  /** What suspend() calls: PauseActor (snapshot stays on the node) or SuspendActor (object storage). */
  suspendWith: 'pause' | 'suspend';
  /** How often handed-out actors are checked for crashes / out-of-band deletion (ms). */
  checkIntervalMs?: number;
  /** Backstop for waits the caller does not bound itself (ms). */
  maxWaitMs?: number;
}

interface Tracked {
  tenant: string;
  name: string;
  state: 'starting' | 'ready' | 'suspended' | 'stopping';
  since: Date;
  endpoint?: Endpoint | undefined;
  pending?: Promise<Endpoint> | undefined;
  abort: AbortController;
  waiters: number;
}

/** Statuses atenet-router answers itself (no worker on resume, actor unreachable or suspended mid-request, route timeout). */
const ROUTER_STATUSES = [429, 502, 503, 504] as const;

export class SubstrateBackend implements Backend {
  readonly name = 'substrate';
  readonly capabilities: Capabilities = { suspend: true, livePause: false, persistentState: false, warmPool: false, isolation: 'vm', suspendKeeps: ['cookie', 'localStorage', 'memory', 'page'] };
  readonly api: ActorApi;
  private readonly prefix: string;
  private readonly template: { namespace: string; name: string };
  private readonly router: { host: string; port: number };
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners: LostListener[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: SubstrateOptions) {
    this.api = new ActorApi(options);
    this.prefix = ownerPrefix(options.namePrefix, options.gatewayId);
    this.template = parseTemplate(options.actorTemplate);
    const i = options.router.lastIndexOf(':');
    this.router = { host: options.router.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(options.router.slice(i + 1)) };
  }

  actorName(tenant: string): string {
    return actorName(this.prefix, tenant);
  }

  /** No call to the API here: actors left suspended by an earlier run stay suspended. */
  async start(): Promise<void> {
    const every = this.options.checkIntervalMs ?? 5000;
    this.timer = setInterval(() => void this.check().catch(() => undefined), every);
    this.timer.unref();
  }

  onLost(listener: LostListener): void {
    this.listeners.push(listener);
  }

  private get deadline(): number {
    return Date.now() + (this.options.maxWaitMs ?? 300_000);
  }

  async ensure(tenant: string, { signal }: EnsureOptions): Promise<Endpoint> {
    if (this.closed) throw new SandgateError('SG_BACKEND_UNAVAILABLE', 'backend is closed');
    let t = this.tracked.get(tenant);
    if (t?.state === 'ready' && t.endpoint) return t.endpoint;
    if (!t || t.state === 'stopping') {
      t = { tenant, name: this.actorName(tenant), state: 'starting', since: new Date(), abort: new AbortController(), waiters: 0 };
      this.tracked.set(tenant, t);
    }
    const entry = t;
    if (!entry.pending) {
      const pending = this.provision(entry).finally(() => {
        if (entry.pending === pending) entry.pending = undefined;
      });
      pending.catch(() => {
        if (this.tracked.get(tenant) === entry && entry.state === 'starting') this.tracked.delete(tenant);
      });
      entry.pending = pending;
    }
    // The last caller to give up stops provisioning (provision() removes the actor if it created it).
    return awaitFlight(entry, entry.pending, signal, () => {
      if (this.tracked.get(tenant) === entry) this.tracked.delete(tenant);
    });
  }

  private async provision(t: Tracked): Promise<Endpoint> {
    const options = { deadline: this.deadline, signal: t.abort.signal };
    let created = false;
    try {
      for (;;) {
        let actor = await this.api.get(t.name, t.abort.signal);
        if (!actor) {
          actor = await this.create(t.name, t.abort.signal);
          created = actor !== undefined;
          if (!actor) continue; // another replica created it meanwhile: adopt
        }
        const settled = await settle(this.api, actor, options);
        if (!settled) continue; // deleted meanwhile (a release elsewhere): create again
        if (t.abort.signal.aborted) throw new SandgateError('SG_ENSURE_ABORTED', 'sandbox provisioning was aborted');
        const endpoint = !t.endpoint || settled.rebooted ? this.endpoint(settled.actor) : t.endpoint;
        t.endpoint = endpoint;
        t.state = 'ready';
        return endpoint;
      }
    } catch (err) {
      // An actor this call created and could not bring up (aborted, no free worker …) is removed, so
      // nothing untracked is left; an adopted one belongs to whoever created it.
      if (created) await destroy(this.api, t.name, { deadline: this.deadline }).catch(() => undefined);
      throw err;
    }
  }

  /** undefined when the actor exists already (AlreadyExists). */
  private async create(name: string, signal: AbortSignal): Promise<Actor | undefined> {
    try {
      return await this.api.create(name, this.template, this.options.workerSelector, signal);
    } catch (err) {
      if (grpcCode(err) === Status.ALREADY_EXISTS) return undefined;
      throw this.api.error(`CreateActor ${name} from ActorTemplate ${this.options.actorTemplate}`, err);
    }
  }

  private endpoint(actor: Actor): Endpoint {
    const atespace = this.options.api === 'actor-ref' ? this.options.atespace : undefined;
    return {
      host: this.router.host,
      port: this.router.port,
      basePath: `/${this.options.sandboxSecret}`,
      headers: { Host: routerHost(actor.name, atespace) },
      routerStatuses: ROUTER_STATUSES,
      // Actors have no uid: each incarnation this instance hands out gets its own id.
      id: `${atespace ?? '-'}/${actor.name}#${randomBytes(4).toString('hex')}`,
    };
  }

  /** One ListActors sweep: a handed-out actor that crashed or vanished is reported lost. */
  private async check(): Promise<void> {
    const ready = [...this.tracked.values()].filter((t) => t.state === 'ready' && t.endpoint);
    if (ready.length === 0) return;
    const actors = new Map((await this.api.list()).map((a) => [a.name, a]));
    for (const t of ready) {
      const actor = actors.get(t.name);
      const reason = !actor ? `actor ${t.name} was deleted` : actor.status === 'CRASHED' ? `actor ${t.name} crashed` : undefined;
      if (!reason || this.tracked.get(t.tenant) !== t || t.state !== 'ready' || !t.endpoint) continue;
      this.tracked.delete(t.tenant);
      for (const l of this.listeners) l(t.tenant, t.endpoint.id, reason);
    }
  }

  async release(tenant: string): Promise<void> {
    const t = this.tracked.get(tenant);
    if (t) {
      t.state = 'stopping';
      t.abort.abort(new Error('released'));
      await t.pending?.catch(() => undefined);
    }
    await destroy(this.api, t?.name ?? this.actorName(tenant), { deadline: this.deadline });
    if (this.tracked.get(tenant) === t) this.tracked.delete(tenant);
  }

  async suspend(tenant: string): Promise<void> {
    const t = this.tracked.get(tenant);
    if (!t || t.state !== 'ready') throw new SandgateError('SG_NOT_FOUND', `tenant ${tenant} has no running sandbox to suspend`);
    const method = this.options.suspendWith === 'pause' ? 'PauseActor' : 'SuspendActor';
    t.state = 'suspended';
    try {
      await this.api.transition(method, t.name, { timeoutMs: this.deadline - Date.now() });
    } catch (err) {
      t.state = 'ready';
      throw this.api.error(`${method} ${t.name}`, err);
    }
  }

  async resume(tenant: string): Promise<void> {
    await this.ensure(tenant, { signal: new AbortController().signal });
  }

  async list(): Promise<SandboxInfo[]> {
    const byName = new Map([...this.tracked.values()].map((t) => [t.name, t]));
    const ours = (await this.api.list()).filter((a) => a.name.startsWith(this.prefix) && (this.options.api === 'actor-id' || a.atespace === this.options.atespace));
    return ours.map((a) => {
      const t = byName.get(a.name);
      return {
        // Actors carry no tenant: an actor this instance did not hand out shows its name's tail.
        tenant: t?.tenant ?? a.name.slice(this.prefix.length),
        backend: this.name,
        resource: a.atespace ? `${a.atespace}/${a.name}` : a.name,
        state: a.status === 'RUNNING' ? 'ready' : ['SUSPENDED', 'PAUSED', 'SUSPENDING', 'PAUSING'].includes(a.status) ? 'suspended' : 'starting',
        since: t?.since ?? new Date(0),
        ...(t?.endpoint ? { endpoint: t.endpoint } : {}),
      } satisfies SandboxInfo;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await Promise.all([...this.tracked.keys()].map((tenant) => this.release(tenant).catch(() => undefined)));
    this.api.close(); // list() still works afterwards: the channel reopens on demand
  }
}
