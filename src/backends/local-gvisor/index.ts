/**
 * local-gvisor backend: each tenant's Chromium inside a gVisor sandbox (runsc, systrap, no network,
 * no host sockets). CDP travels over a pipe and a host-side bridge serves connectOverCDP; suspend is
 * a live checkpoint of the whole sandbox (memory, open pages, cookies, storage) to a per-tenant image,
 * and the next connect restores it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SandgateError } from '../../errors/errors.js';
import { killTree } from '../../process/tree.js';
import { raceAbort } from '../../util/abort.js';
import type { Backend, Capabilities, Endpoint, EnsureOptions, LostListener, SandboxInfo } from '../types.js';
import { writeBundle } from './bundle.js';
import { CdpBridge } from './cdp-bridge.js';
import { CdpPipe } from './cdp-pipe.js';
import { destroyContainer, runsc, startContainer, type RunscGlobals } from './runsc.js';
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface LocalGvisorOptions {
  chromiumPath: string;
  chromiumArgs: readonly string[];
  /** Parent of per-sandbox directories (bundle, checkpoint image) and runsc's state. */
  root: string;
  memoryBytes: number;
  platform?: string;
}

interface Box {
  tenant: string;
  key: string;
  dir: string;
  since: Date;
  state: SandboxInfo['state'];
  bridge: CdpBridge;
  container?: string;
  child?: ChildProcess;
  ready: Promise<void>;
  waiters: number;
}

export class LocalGvisorBackend implements Backend {
  readonly name = 'local-gvisor';
  readonly capabilities: Capabilities = {
    suspend: true,
    livePause: false,
    persistentState: false,
    warmPool: false,
    isolation: 'gvisor',
    suspendKeeps: ['cookie', 'localStorage', 'memory', 'page'],
  };
  private readonly boxes = new Map<string, Box>();
  private readonly listeners: LostListener[] = [];
  private readonly g: RunscGlobals;

  constructor(private readonly options: LocalGvisorOptions) {
    this.g = { root: join(options.root, 'runsc'), platform: options.platform ?? 'systrap' };
  }

  async start(): Promise<void> {
    mkdirSync(this.g.root, { recursive: true, mode: 0o700 });
  }

  onLost(listener: LostListener): void {
    this.listeners.push(listener);
  }

  private endpoint(box: Box): Endpoint {
    return { host: '127.0.0.1', port: box.bridge.port, basePath: box.bridge.basePath, id: box.key };
  }

  /** Starts (or restores) the container and waits until its browser answers over the pipe. */
  private async boot(box: Box, imagePath?: string): Promise<void> {
    const container = `sg-${box.key}-${randomBytes(3).toString('hex')}`;
    const child = startContainer(this.g, container, join(box.dir, 'bundle'), imagePath);
    box.container = container;
    box.child = child;
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const pipe = new CdpPipe(child.stdin as Writable, child.stdout as Readable);
    const exited = new Promise<string>((resolve) => child.once('exit', (code, sig) => resolve(`runsc exited (code ${code}, signal ${sig})`)));
    void exited.then((reason) => {
      if (box.child !== child || box.state === 'stopping' || box.state === 'suspended') return;
      if (this.boxes.get(box.tenant) === box) this.boxes.delete(box.tenant);
      void this.dispose(box);
      for (const l of this.listeners) l(box.tenant, box.key, reason);
    });
    const answered = pipe.call('Browser.getVersion');
    const failed = exited.then((reason) => {
      throw new SandgateError('SG_RUNTIME_FAILED', `${reason}; stderr: ${stderr.trim().split('\n').filter((l) => !l.includes('dbus')).slice(-5).join(' | ') || '(empty)'}`);
    });
    try {
      await Promise.race([answered, failed]);
    } catch (err) {
      if (err instanceof SandgateError) throw err;
      await failed; // the pipe closed because runsc is exiting: report why, with its stderr
    }
    box.bridge.attach(pipe);
  }

  async ensure(tenant: string, { signal }: EnsureOptions): Promise<Endpoint> {
    let box = this.boxes.get(tenant);
    if (box?.state === 'suspended') {
      box.state = 'starting';
      box.ready = this.boot(box, join(box.dir, 'image')).then(() => void (box && (box.state = 'ready')));
    }
    if (!box) {
      const key = randomBytes(6).toString('hex');
      const dir = join(this.options.root, key);
      box = { tenant, key, dir, since: new Date(), state: 'starting', bridge: new CdpBridge(`/${randomBytes(24).toString('base64url')}`), ready: Promise.resolve(), waiters: 0 };
      const b = box;
      this.boxes.set(tenant, b);
      b.ready = (async () => {
        writeBundle(join(dir, 'bundle'), this.options);
        await b.bridge.listen();
        await this.boot(b);
        b.state = 'ready';
      })();
      b.ready.catch(() => {
        if (this.boxes.get(tenant) === b) this.boxes.delete(tenant);
        void this.dispose(b);
      });
    }
    const current = box;
    current.waiters++;
    try {
      await raceAbort(current.ready, signal);
    } finally {
      current.waiters--;
      // Abandoned by every caller while still starting: nothing may be left behind.
      if (signal.aborted && current.waiters === 0 && current.state === 'starting' && this.boxes.get(tenant) === current) {
        current.state = 'stopping';
        this.boxes.delete(tenant);
        void current.ready.catch(() => undefined).then(() => this.dispose(current));
      }
    }
    return this.endpoint(current);
  }

  /** Live checkpoint: memory, open pages and storage go to the tenant's image; the container stops. */
  async suspend(tenant: string): Promise<void> {
    const box = this.boxes.get(tenant);
    if (!box || box.state !== 'ready' || !box.container) return;
    box.state = 'suspended';
    await box.bridge.detach('sandbox suspended');
    const image = join(box.dir, 'image');
    rmSync(image, { recursive: true, force: true });
    mkdirSync(image, { recursive: true });
    try {
      await runsc(this.g, ['checkpoint', `--image-path=${image}`, box.container], 120_000);
    } catch (err) {
      box.state = 'ready';
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `checkpoint failed: ${(err as Error).message}`, { cause: err });
    }
    await destroyContainer(this.g, box.container);
  }

  async resume(tenant: string): Promise<void> {
    await this.ensure(tenant, { signal: new AbortController().signal });
  }

  async release(tenant: string): Promise<void> {
    const box = this.boxes.get(tenant);
    if (!box) return;
    box.state = 'stopping';
    this.boxes.delete(tenant);
    await box.ready.catch(() => undefined);
    await this.dispose(box);
  }

  private async dispose(box: Box): Promise<void> {
    box.bridge.close();
    if (box.container) await destroyContainer(this.g, box.container);
    if (box.child?.pid) await killTree(box.child.pid, 1000);
    rmSync(box.dir, { recursive: true, force: true });
  }

  async list(): Promise<SandboxInfo[]> {
    return [...this.boxes.values()].map((b) => ({
      tenant: b.tenant,
      backend: this.name,
      resource: b.container ?? 'starting',
      state: b.state,
      since: b.since,
      ...(b.state === 'ready' ? { endpoint: this.endpoint(b) } : {}),
      ...(b.child?.pid ? { pids: [b.child.pid] } : {}),
    }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.boxes.keys()].map((t) => this.release(t)));
  }
}
