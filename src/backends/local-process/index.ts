/**
 * local-process backend: one sandbox runtime per tenant as a child process on 127.0.0.1,
 * with an optional warm pool of ready runtimes. Isolation level "process": tenants share
 * the machine and user; use a stronger tier for untrusted callers.
 */
import { SandgateError } from '../../errors/errors.js';
import { killTree } from '../../process/tree.js';
import { raceAbort } from '../../util/abort.js';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../types.js';
import { spawnRuntime, type SpawnedRuntime } from './spawn-runtime.js';

export interface LocalProcessOptions {
  chromiumPath: string;
  chromiumArgs: readonly string[];
  /** Ready runtimes kept for new tenants. */
  warmPool: number;
}

interface Sandbox {
  tenant: string;
  since: Date;
  state: SandboxInfo['state'];
  ready: Promise<SpawnedRuntime>;
  runtime?: SpawnedRuntime;
  abort: AbortController;
  waiters: number;
}

function endpointOf(rt: SpawnedRuntime): Endpoint {
  return { host: '127.0.0.1', port: rt.port, basePath: rt.basePath, id: `pid-${rt.pid}` };
}

export class LocalProcessBackend implements Backend {
  readonly name = 'local-process';
  readonly capabilities: Capabilities;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly pool: SpawnedRuntime[] = [];
  private poolFilling = 0;
  private readonly listeners: LostListener[] = [];
  private readonly closeController = new AbortController();
  private closed = false;

  constructor(private readonly options: LocalProcessOptions) {
    this.capabilities = { suspend: false, livePause: false, persistentState: false, warmPool: options.warmPool > 0, isolation: 'process' };
  }

  async start(): Promise<void> {
    await this.fillPool();
  }

  onLost(listener: LostListener): void {
    this.listeners.push(listener);
  }

  async ensure(tenant: string, { signal }: EnsureOptions): Promise<Endpoint> {
    if (this.closed) throw new SandgateError('SG_BACKEND_UNAVAILABLE', 'backend is closed');
    let sandbox = this.sandboxes.get(tenant);
    if (!sandbox) {
      const abort = new AbortController();
      const claimed = this.pool.shift();
      const ready = claimed
        ? Promise.resolve(claimed)
        : spawnRuntime({ ...this.options, signal: abort.signal });
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
      (rt) => {
        sandbox.runtime = rt;
        sandbox.state = 'ready';
        void rt.exited.then((reason) => {
          if (this.sandboxes.get(sandbox.tenant) !== sandbox) return;
          this.sandboxes.delete(sandbox.tenant);
          if (sandbox.state === 'stopping') return;
          for (const l of this.listeners) l(sandbox.tenant, endpointOf(rt).id, reason);
        });
      },
      () => {
        if (this.sandboxes.get(sandbox.tenant) === sandbox) this.sandboxes.delete(sandbox.tenant);
      },
    );
  }

  async release(tenant: string): Promise<void> {
    const sandbox = this.sandboxes.get(tenant);
    if (!sandbox) return;
    sandbox.state = 'stopping';
    sandbox.abort.abort(new Error('released'));
    const rt = await sandbox.ready.catch(() => undefined);
    if (rt) {
      await killTree(rt.pid, 3000);
      await rt.exited;
    }
    if (this.sandboxes.get(tenant) === sandbox) this.sandboxes.delete(tenant);
  }

  async list(): Promise<SandboxInfo[]> {
    return [...this.sandboxes.values()].map((s) => ({
      tenant: s.tenant,
      backend: this.name,
      resource: s.runtime ? `pid-${s.runtime.pid}` : 'starting',
      state: s.state,
      since: s.since,
      ...(s.runtime ? { endpoint: endpointOf(s.runtime), pids: [s.runtime.pid, s.runtime.browserPid] } : {}),
    }));
  }

  private async fillPool(): Promise<void> {
    while (!this.closed && this.pool.length + this.poolFilling < this.options.warmPool) {
      this.poolFilling++;
      try {
        const rt = await spawnRuntime({ ...this.options, signal: this.closeController.signal });
        if (this.closed) await killTree(rt.pid, 1000);
        else {
          this.pool.push(rt);
          void rt.exited.then(() => {
            const i = this.pool.indexOf(rt);
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
    this.closeController.abort(new Error('backend closed'));
    const spares = this.pool.splice(0);
    await Promise.all([
      ...spares.map(async (rt) => {
        await killTree(rt.pid, 3000);
        await rt.exited;
      }),
      ...[...this.sandboxes.keys()].map((t) => this.release(t)),
    ]);
  }
}
