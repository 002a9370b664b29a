/**
 * The fake's actor store and state machine. Each running actor's workload is a real sandbox runtime
 * process (`sandgate sandbox --port 80`) bound to its own loopback IP. PAUSED and SUSPENDED both keep
 * that process frozen (SIGSTOP of its tree): a fake cannot snapshot a process to a node disk or to
 * object storage, so both stand for "live state kept, no worker held". Transitions pass through
 * RESUMING / SUSPENDING / PAUSING for `transitionMs`; a workload that exits on its own → CRASHED.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalTree } from '../../../process/tree.js';
import { startContainer, type ContainerProcess } from '../../k8s/container-process.js';
import { IpPool } from '../../k8s/ip-pool.js';

export type Status = 'RESUMING' | 'RUNNING' | 'SUSPENDING' | 'SUSPENDED' | 'PAUSING' | 'PAUSED' | 'CRASHED';

export interface FakeActor {
  atespace: string;
  name: string;
  status: Status;
  version: number;
  templateNamespace: string;
  templateName: string;
  ip?: string | undefined;
  workload?: ContainerProcess | undefined;
  frozen: boolean;
}

export interface FakeTemplate {
  /** args of the workload (the image's entrypoint is the sandgate CLI). */
  args: string[];
  env: Record<string, string>;
}

/** A gRPC-status-like failure the server turns into a real status. */
export class ApiFailure extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'ALREADY_EXISTS' | 'FAILED_PRECONDITION' | 'RESOURCE_EXHAUSTED' | 'ABORTED' | 'INVALID_ARGUMENT' | 'DATA_LOSS',
    message: string,
  ) {
    super(message);
  }
}

function signal(w: ContainerProcess | undefined, sig: NodeJS.Signals): void {
  if (w?.pid) signalTree(w.pid, sig);
}

const HOLDS_WORKER = new Set<Status>(['RESUMING', 'RUNNING', 'SUSPENDING', 'PAUSING']);
const TRANSIENT = new Set<Status>(['RESUMING', 'SUSPENDING', 'PAUSING']);

export interface ActorStoreOptions {
  /** Workers: actors holding one at once (RUNNING and in transition). */
  capacity: number;
  transitionMs: number;
  /** How "no free worker" is reported: ResourceExhausted, or FailedPrecondition as current upstream does. */
  noWorker: 'RESOURCE_EXHAUSTED' | 'FAILED_PRECONDITION';
}

export class ActorStore extends EventEmitter {
  readonly actors = new Map<string, FakeActor>();
  readonly templates = new Map<string, FakeTemplate>();
  readonly atespaces = new Set<string>();
  private readonly ips = new IpPool(200 + Math.floor(Math.random() * 50));

  constructor(readonly options: ActorStoreOptions) {
    super();
  }

  key(atespace: string, name: string): string {
    return `${atespace}/${name}`;
  }

  get(atespace: string, name: string): FakeActor {
    const a = this.actors.get(this.key(atespace, name));
    if (!a) throw new ApiFailure('NOT_FOUND', `Actor ${name} not found`);
    return a;
  }

  create(atespace: string, name: string, templateNamespace: string, templateName: string, needAtespace: boolean): FakeActor {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) throw new ApiFailure('INVALID_ARGUMENT', `actor_id ${JSON.stringify(name)} is not a DNS-1123 label`);
    if (!this.templates.has(`${templateNamespace}/${templateName}`)) throw new ApiFailure('FAILED_PRECONDITION', `ActorTemplate ${templateNamespace}/${templateName} not found`);
    if (needAtespace && !this.atespaces.has(atespace)) throw new ApiFailure('FAILED_PRECONDITION', `Atespace ${atespace} not found`);
    const key = this.key(atespace, name);
    if (this.actors.has(key)) throw new ApiFailure('ALREADY_EXISTS', `Actor ${name} already exists`);
    const actor: FakeActor = { atespace, name, status: 'SUSPENDED', version: 1, templateNamespace, templateName, frozen: false };
    this.actors.set(key, actor);
    return actor;
  }

  private set(a: FakeActor, status: Status): void {
    a.status = status;
    a.version++;
  }

  private busy(a: FakeActor): void {
    if (TRANSIENT.has(a.status)) throw new ApiFailure('ABORTED', 'concurrent update conflict, please retry');
  }

  workersInUse(): number {
    return [...this.actors.values()].filter((a) => HOLDS_WORKER.has(a.status)).length;
  }

  async resume(a: FakeActor, boot: boolean): Promise<FakeActor> {
    if (a.status === 'RUNNING') return a;
    this.busy(a);
    if (this.workersInUse() >= this.options.capacity) throw new ApiFailure(this.options.noWorker, 'no free workers available');
    this.set(a, 'RESUMING');
    await sleep(this.options.transitionMs);
    if (a.workload && a.frozen && !boot) {
      signal(a.workload, 'SIGCONT');
      a.frozen = false;
    } else {
      await this.stopWorkload(a);
      try {
        await this.boot(a);
      } catch (err) {
        this.set(a, 'CRASHED');
        throw new ApiFailure('DATA_LOSS', `actor ${a.name} crashed: ${(err as Error).message.slice(0, 300)}`);
      }
    }
    if (this.actors.get(this.key(a.atespace, a.name)) !== a) throw new ApiFailure('NOT_FOUND', `Actor ${a.name} not found`);
    this.set(a, 'RUNNING');
    return a;
  }

  private async boot(a: FakeActor): Promise<void> {
    const template = this.templates.get(`${a.templateNamespace}/${a.templateName}`);
    if (!template) throw new Error(`ActorTemplate ${a.templateNamespace}/${a.templateName} vanished`);
    a.ip = this.ips.allocate();
    const workload = await startContainer(template.args, template.env, a.ip);
    a.workload = workload;
    void workload.exited.then(() => {
      if (a.workload !== workload) return; // stopped by us
      a.workload = undefined;
      this.set(a, 'CRASHED');
      this.emit('interrupt', a);
    });
  }

  private async stopWorkload(a: FakeActor): Promise<void> {
    const w = a.workload;
    a.workload = undefined;
    if (a.frozen) signal(w, 'SIGCONT'); // a stopped process would sit out SIGTERM
    a.frozen = false;
    if (w) await w.stop();
  }

  /** SUSPENDED (to "object storage") or PAUSED (on the "node"): the process is frozen, the worker freed. */
  async freeze(a: FakeActor, to: 'SUSPENDED' | 'PAUSED'): Promise<FakeActor> {
    if (a.status === to) return a;
    this.busy(a);
    if (a.status === 'CRASHED') throw new ApiFailure('FAILED_PRECONDITION', `can not ${to === 'PAUSED' ? 'pause' : 'suspend'} crashed actor ${a.name}`);
    if (to === 'PAUSED' && a.status !== 'RUNNING') throw new ApiFailure('FAILED_PRECONDITION', `Actor ${a.name} is not running (status: STATUS_${a.status})`);
    if (to === 'SUSPENDED' && a.status !== 'RUNNING' && a.status !== 'PAUSED') throw new ApiFailure('FAILED_PRECONDITION', `Actor ${a.name} cannot be suspended (status: STATUS_${a.status})`);
    this.set(a, to === 'PAUSED' ? 'PAUSING' : 'SUSPENDING');
    this.emit('interrupt', a); // the router cuts in-flight requests to this actor (502)
    await sleep(this.options.transitionMs);
    if (a.workload && !a.frozen) {
      signal(a.workload, 'SIGSTOP');
      a.frozen = true;
    }
    this.set(a, to);
    return a;
  }

  async delete(a: FakeActor): Promise<void> {
    if (a.status !== 'SUSPENDED') throw new ApiFailure('FAILED_PRECONDITION', `Actor ${a.name} is not suspended (status: STATUS_${a.status})`);
    this.actors.delete(this.key(a.atespace, a.name));
    await this.stopWorkload(a);
  }

  /** Test control: the workload dies on its own (SIGKILL) → CRASHED. */
  crash(a: FakeActor): void {
    signal(a.workload, 'SIGKILL');
  }

  /** Test control: the workload hangs (frozen) while the actor still looks RUNNING. */
  hang(a: FakeActor): void {
    if (a.workload) signal(a.workload, 'SIGSTOP');
  }

  async close(): Promise<void> {
    await Promise.all([...this.actors.values()].map((a) => this.stopWorkload(a)));
    this.actors.clear();
  }
}
