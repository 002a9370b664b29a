/**
 * The fake OpenShell gateway's sandboxes: records with the public Sandbox shape, walking the
 * documented phases. A sandbox whose image names `sandgate` and whose command is `sandgate …` runs
 * as a real local sandbox runtime (the image's entrypoint) bound to its own loopback IP, which
 * stands in for the sandbox's private loopback:
 *   create → PROVISIONING (→ UNKNOWN while "the driver has no status yet", when asked) → READY
 *   stop → STOPPING → STOPPED (process gone)   start → STARTING → READY (a new process and IP)
 *   delete → DELETING → gone                   main process exits → ERROR with exit_code
 *   any other image → ERROR (ImagePullBackOff); any other command → ERROR (exit code 127)
 */
import { randomUUID } from 'node:crypto';
import { startContainer, type ContainerProcess } from '../../k8s/container-process.js';
import { IpPool } from '../../k8s/ip-pool.js';

export type Phase = 'PROVISIONING' | 'READY' | 'ERROR' | 'DELETING' | 'UNKNOWN' | 'STOPPING' | 'STOPPED' | 'STARTING';

export interface Spec {
  environment: Record<string, string>;
  template: { image: string; environment: Record<string, string> } | null;
  command: string[];
}

export interface FakeSandbox {
  id: string;
  name: string;
  createdAtMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  version: number;
  deletionMs: number;
  spec: Spec;
  phase: Phase;
  condition: { status: string; reason: string; message: string };
  exitCode?: number | undefined;
  /** The sandbox's loopback as seen from outside (its own 127.x.y.z). */
  ip?: string | undefined;
  process?: ContainerProcess | undefined;
  /** Bumped on every stop/start/delete: a late event of an older run is ignored. */
  run: number;
}

const SANDGATE_IMAGE = /(^|\/)sandgate(:|@|$)/;

function exitCode(reason: string): number {
  const code = /code (\d+)/.exec(reason)?.[1];
  if (code) return Number(code);
  return /SIGKILL/.test(reason) ? 137 : /SIGTERM/.test(reason) ? 143 : 1;
}

export class FakeSandboxes {
  private readonly byName = new Map<string, FakeSandbox>();
  private readonly subscribers = new Map<string, Set<() => void>>();
  /** Called with every sandbox whenever it changes phase (tests observe the walk). */
  readonly changes = new Set<(s: FakeSandbox) => void>();
  private readonly ips = new IpPool(20 + Math.floor(Math.random() * 200));

  constructor(private readonly options: { reportUnknown?: boolean } = {}) {}

  get(name: string): FakeSandbox | undefined {
    return this.byName.get(name);
  }

  byId(id: string): FakeSandbox | undefined {
    for (const s of this.byName.values()) if (s.id === id) return s;
    return undefined;
  }

  all(): FakeSandbox[] {
    return [...this.byName.values()];
  }

  /** Called on every change of sandbox `id` (and once when it is gone); returns an unsubscribe. */
  subscribe(id: string, fn: () => void): () => void {
    const set = this.subscribers.get(id) ?? new Set();
    set.add(fn);
    this.subscribers.set(id, set);
    return () => set.delete(fn);
  }

  private set(s: FakeSandbox, phase: Phase, condition: FakeSandbox['condition'], exit?: number): void {
    s.phase = phase;
    s.condition = condition;
    s.exitCode = exit;
    s.version++;
    for (const fn of this.subscribers.get(s.id) ?? []) fn();
    for (const fn of this.changes) fn(s);
  }

  create(name: string, spec: Spec, labels: Record<string, string>, annotations: Record<string, string>): FakeSandbox {
    const s: FakeSandbox = { id: randomUUID(), name, createdAtMs: Date.now(), labels, annotations, version: 1, deletionMs: 0, spec, phase: 'PROVISIONING', condition: { status: 'False', reason: 'Starting', message: 'sandbox is being provisioned' }, run: 0 };
    this.byName.set(name, s);
    for (const fn of this.changes) fn(s);
    void this.run(s);
    return s;
  }

  private async run(s: FakeSandbox): Promise<void> {
    const run = ++s.run;
    const image = s.spec.template?.image ?? '';
    const [exe = '', ...args] = s.spec.command;
    await new Promise((resolve) => setTimeout(resolve, 20)); // the API answers before compute exists
    if (s.run !== run) return;
    if (!SANDGATE_IMAGE.test(image)) {
      return this.set(s, 'ERROR', { status: 'False', reason: 'ImagePullBackOff', message: `image ${image} cannot be pulled` });
    }
    if (exe.split('/').pop() !== 'sandgate') {
      return this.set(s, 'ERROR', { status: 'False', reason: 'MainProcessExited', message: `exec ${exe}: no such file or directory` }, 127);
    }
    if (this.options.reportUnknown) this.set(s, 'UNKNOWN', { status: 'Unknown', reason: 'NoStatus', message: 'the compute driver reported no status yet' });
    s.ip = this.ips.allocate();
    try {
      const env = { ...s.spec.environment, ...(s.spec.template?.environment ?? {}) };
      const child = await startContainer(args, env, s.ip);
      if (s.run !== run) return void child.stop();
      s.process = child;
      void child.exited.then((reason) => {
        if (s.run === run && s.process === child) this.set(s, 'ERROR', { status: 'False', reason: 'MainProcessExited', message: reason }, exitCode(reason));
      });
      this.set(s, 'READY', { status: 'True', reason: 'SupervisorConnected', message: 'sandbox is ready' });
    } catch (err) {
      if (s.run === run) this.set(s, 'ERROR', { status: 'False', reason: 'MainProcessExited', message: String(err) }, exitCode(String(err)));
    }
  }

  private async halt(s: FakeSandbox): Promise<void> {
    s.run++;
    const child = s.process;
    s.process = undefined;
    s.ip = undefined;
    await child?.stop();
  }

  async stop(s: FakeSandbox): Promise<void> {
    this.set(s, 'STOPPING', { status: 'False', reason: 'Stopping', message: 'sandbox stop requested' });
    await this.halt(s);
    if (this.byName.get(s.name) === s && s.phase === 'STOPPING') this.set(s, 'STOPPED', { status: 'False', reason: 'Stopped', message: 'compute released, state retained' });
  }

  start(s: FakeSandbox): void {
    this.set(s, 'STARTING', { status: 'False', reason: 'Starting', message: 'sandbox start requested' });
    void this.run(s);
  }

  async delete(s: FakeSandbox): Promise<void> {
    s.deletionMs = Date.now();
    this.set(s, 'DELETING', { status: 'False', reason: 'Deleting', message: 'sandbox is being deleted' });
    await this.halt(s);
    this.byName.delete(s.name);
    const subs = this.subscribers.get(s.id);
    this.subscribers.delete(s.id);
    for (const fn of subs ?? []) fn();
  }

  /** The main process dies out of band (SIGKILL to its process group). */
  kill(name: string): void {
    const pid = this.byName.get(name)?.process?.pid;
    if (pid) process.kill(-pid, 'SIGKILL');
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((s) => this.delete(s)));
  }
}
