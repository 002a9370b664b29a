/**
 * The local backends' shared engine: one sandbox runtime per tenant started by a Launcher
 * (plain process, bubblewrap …), an optional warm pool, live pause (cgroup freezer, else
 * SIGSTOP of the whole tree) as suspend, and release that kills the whole tree by PID.
 */
import { randomBytes } from 'node:crypto';
import { SandgateError } from '../../errors/errors.js';
import { descendants, killTree, signalTree } from '../../process/tree.js';
import { raceAbort } from '../../util/abort.js';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../types.js';
import type { Launcher, PreparedSandbox, RuntimeSettings } from './launcher.js';
import { startRuntimeProcess, type SpawnedRuntime } from './runtime-process.js';

export interface LocalBackendOptions extends RuntimeSettings {
  launcher: Launcher;
  /** Ready runtimes kept for new tenants. */
  warmPool: number;
}

interface Started {
  rt: SpawnedRuntime;
  prepared: PreparedSandbox;
}

interface Sandbox {
  tenant: string;
  since: Date;
  state: SandboxInfo['state'];
  ready: Promise<Started>;
  started?: Started;
  abort: AbortController;
  waiters: number;
}

function endpointOf({ rt }: Started): Endpoint {
  return { host: '127.0.0.1', port: rt.port, basePath: rt.basePath, id: `pid-${rt.pid}`, ...(rt.socketPath ? { socketPath: rt.socketPath } : {}) };
}

function hasExited(rt: SpawnedRuntime): boolean {
  return rt.child.exitCode !== null || rt.child.signalCode !== null;
}

export class LocalBackend implements Backend {
  readonly name: string;
  readonly capabilities: Capabilities;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly pool: Started[] = [];
  private poolFilling = 0;
  private poolWaiters: Array<() => void> = [];
  private readonly listeners: LostListener[] = [];
  private closed = false;

  constructor(private readonly options: LocalBackendOptions) {
    this.name = options.launcher.name;
    this.capabilities = {
      suspend: true,
      livePause: true,
      persistentState: false,
      warmPool: options.warmPool > 0,
      isolation: options.launcher.isolation,
      suspendKeeps: ['cookie', 'localStorage', 'memory', 'page'],
    };
  }

  async start(): Promise<void> {
    await this.fillPool();
  }

  onLost(listener: LostListener): void {
    this.listeners.push(listener);
  }

  private async launch(signal: AbortSignal): Promise<Started> {
    const prepared = await this.options.launcher.prepare(randomBytes(6).toString('hex'), this.options);
    try {
      const rt = await startRuntimeProcess(prepared.spec, signal);
      const started = { rt, prepared };
      void rt.exited.then(() => prepared.dispose());
      return started;
    } catch (err) {
      await prepared.dispose();
      throw err;
    }
  }

  async ensure(tenant: string, { signal }: EnsureOptions): Promise<Endpoint> {
    if (this.closed) throw new SandgateError('SG_BACKEND_UNAVAILABLE', 'backend is closed');
    let sandbox = this.sandboxes.get(tenant);
    if (sandbox && (sandbox.state === 'stopping' || (sandbox.started && hasExited(sandbox.started.rt)))) {
      // Being released, or dead but its exit not yet processed: wait it out, then start afresh.
      const old = sandbox;
      await old.ready.then((s) => s.rt.exited, () => undefined);
      if (this.sandboxes.get(tenant) === old) this.sandboxes.delete(tenant);
      sandbox = this.sandboxes.get(tenant);
    }
    if (sandbox?.state === 'suspended') await this.resume(tenant);
    if (!sandbox) {
      const abort = new AbortController();
      const claimed = this.pool.shift();
      const ready = claimed ? Promise.resolve(claimed) : this.launch(abort.signal);
      sandbox = { tenant, since: new Date(), state: 'starting', ready, abort, waiters: 0 };
      this.sandboxes.set(tenant, sandbox);
      this.watch(sandbox);
      if (claimed) void this.fillPool();
    }
    // The sandbox is abandoned only when every caller waiting for it has given up.
    sandbox.waiters++;
    try {
      return endpointOf(await raceAbort(sandbox.ready, signal));
    } finally {
      sandbox.waiters--;
      if (signal.aborted && sandbox.waiters === 0 && sandbox.state === 'starting') {
        sandbox.abort.abort(signal.reason);
        if (this.sandboxes.get(tenant) === sandbox) this.sandboxes.delete(tenant);
      }
    }
  }

  private watch(sandbox: Sandbox): void {
    sandbox.ready.then(
      (started) => {
        sandbox.started = started;
        if (sandbox.state === 'starting') sandbox.state = 'ready';
        void started.rt.exited.then((reason) => {
          if (this.sandboxes.get(sandbox.tenant) !== sandbox) return;
          this.sandboxes.delete(sandbox.tenant);
          if (sandbox.state === 'stopping') return;
          const oom = started.prepared.cgroup?.oomKills() ?? 0;
          const why = oom > 0 ? `${reason}; out of memory (${oom} OOM kills in its cgroup)` : reason;
          for (const l of this.listeners) l(sandbox.tenant, endpointOf(started).id, why);
        });
      },
      () => {
        if (this.sandboxes.get(sandbox.tenant) === sandbox) this.sandboxes.delete(sandbox.tenant);
      },
    );
  }

  /** Live pause: the cgroup freezer where available, else SIGSTOP of every process of the sandbox. */
  async suspend(tenant: string): Promise<void> {
    this.pause(tenant, true);
  }

  async resume(tenant: string): Promise<void> {
    this.pause(tenant, false);
  }

  private pause(tenant: string, frozen: boolean): void {
    const sandbox = this.sandboxes.get(tenant);
    if (!sandbox?.started || sandbox.state !== (frozen ? 'ready' : 'suspended')) return;
    const { rt, prepared } = sandbox.started;
    const viaCgroup = frozen ? prepared.cgroup?.freeze() : prepared.cgroup?.thaw();
    if (!viaCgroup) signalTree(rt.pid, frozen ? 'SIGSTOP' : 'SIGCONT');
    sandbox.state = frozen ? 'suspended' : 'ready';
  }

  async release(tenant: string): Promise<void> {
    const sandbox = this.sandboxes.get(tenant);
    if (!sandbox) return;
    if (sandbox.state === 'suspended') await this.resume(tenant);
    sandbox.state = 'stopping';
    sandbox.abort.abort(new Error('released'));
    const started = await sandbox.ready.catch(() => undefined);
    if (started) await this.stop(started);
    if (this.sandboxes.get(tenant) === sandbox) this.sandboxes.delete(tenant);
  }

  private async stop({ rt, prepared }: Started): Promise<void> {
    await killTree(rt.pid, 3000);
    await rt.exited;
    await prepared.dispose();
  }

  async list(): Promise<SandboxInfo[]> {
    return [...this.sandboxes.values()].map((s) => {
      const rt = s.started?.rt;
      const oomKills = s.started?.prepared.cgroup?.oomKills();
      return {
        tenant: s.tenant,
        backend: this.name,
        resource: rt ? `pid-${rt.pid}` : 'starting',
        state: s.state,
        since: s.since,
        // Host PIDs of the whole tree (a runtime in a PID namespace reports its browser's PID as seen inside).
        ...(s.started && rt ? { endpoint: endpointOf(s.started), pids: [rt.pid, ...descendants(rt.pid)] } : {}),
        ...(oomKills ? { oomKills } : {}),
      };
    });
  }

  poolReady(): Promise<void> {
    if (this.pool.length >= this.options.warmPool) return Promise.resolve();
    const ready = new Promise<void>((resolve) => this.poolWaiters.push(resolve));
    void this.fillPool();
    return ready;
  }

  private async fillPool(): Promise<void> {
    try {
      await this.refill();
    } finally {
      if (this.poolFilling === 0) for (const resolve of this.poolWaiters.splice(0)) resolve();
    }
  }

  private async refill(): Promise<void> {
    while (!this.closed && this.pool.length + this.poolFilling < this.options.warmPool) {
      this.poolFilling++;
      try {
        const started = await this.launch(new AbortController().signal);
        if (this.closed) await this.stop(started);
        else {
          this.pool.push(started);
          void started.rt.exited.then(() => {
            const i = this.pool.indexOf(started);
            if (i >= 0) this.pool.splice(i, 1);
          });
        }
      } catch {
        return; // e.g. Chromium missing: stop refilling; the next claim tries again
      } finally {
        this.poolFilling--;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const spares = this.pool.splice(0);
    await Promise.all([...spares.map((s) => this.stop(s)), ...[...this.sandboxes.keys()].map((t) => this.release(t))]);
  }
}
