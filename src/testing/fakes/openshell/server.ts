/**
 * A fake OpenShell gateway on loopback: a real gRPC server for openshell.v1.OpenShell (our proto,
 * the same wire contract), checking `authorization: Bearer <token>`, with sandboxes run as real
 * local sandbox runtimes (sandboxes.ts) and a real ForwardTcp relay to each sandbox's loopback. It
 * enforces what the real gateway does on that path: session tokens from CreateSshSession, at most
 * 3 concurrent streams per token and 20 per sandbox, loopback targets only, READY sandboxes only.
 * Not simulated: policies, providers, workspaces (one: "default"), logs/events on the watch stream,
 * the supervisor and its egress proxy.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials, status as Status, type Metadata, type ServerDuplexStream, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import { openShellService } from '../../../backends/openshell/grpc/api.js';
import { FakeSandboxes, type FakeSandbox, type Spec } from './sandboxes.js';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

class RpcError extends Error {
  constructor(readonly code: Status, readonly details: string) {
    super(details);
  }
}

export interface FakeOpenShellOptions {
  /** Bearer token every call must carry (undefined: no auth). */
  token?: string | undefined;
  /** Walk through UNKNOWN before READY (a driver that has not reported status yet). */
  reportUnknown?: boolean;
  /** Answer WatchSandbox with UNIMPLEMENTED (an older gateway). */
  noWatch?: boolean;
}

interface Session {
  sandboxId: string;
  active: number;
}

export class FakeOpenShell {
  readonly sandboxes: FakeSandboxes;
  private readonly server = new Server();
  private readonly sessions = new Map<string, Session>();
  private readonly forwardsPerSandbox = new Map<string, number>();
  private readonly sockets = new Set<net.Socket>();
  /** ForwardTcp streams accepted so far. */
  forwards = 0;
  port = 0;

  constructor(private readonly options: FakeOpenShellOptions = {}) {
    this.sandboxes = new FakeSandboxes({ reportUnknown: options.reportUnknown ?? false });
  }

  /** Session tokens of sandbox `id` currently valid (issued and not revoked). */
  sessionsFor(id: string): number {
    return [...this.sessions.values()].filter((s) => s.sandboxId === id).length;
  }

  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const service = openShellService().service;
    const unary = <Req, Res>(fn: (req: Req) => Res | Promise<Res>) => (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      void (async () => {
        this.authorize(call.metadata);
        return fn(call.request);
      })().then((res) => callback(null, res), (err: unknown) => callback(this.status(err)));
    };
    this.server.addService(service, {
      CreateSandbox: unary((req: { name: string; spec: Spec | null; labels: Record<string, string>; annotations: Record<string, string> }) => ({ sandbox: this.view(this.create(req)) })),
      GetSandbox: unary((req: { name: string }) => ({ sandbox: this.view(this.named(req.name)) })),
      ListSandboxes: unary((req: { limit: number; offset: number; label_selector: string }) => ({ sandboxes: this.list(req).map((s) => this.view(s)) })),
      DeleteSandbox: unary(async (req: { name: string }) => {
        const s = this.named(req.name);
        if (s.phase !== 'DELETING') void this.sandboxes.delete(s);
        return { deleted: true };
      }),
      StopSandbox: unary((req: { name: string }) => {
        const s = this.named(req.name);
        if (s.phase === 'STOPPED' || s.phase === 'STOPPING') return { sandbox: this.view(s) };
        if (s.phase !== 'READY') throw new RpcError(Status.FAILED_PRECONDITION, `sandbox must be Ready to stop (current phase: ${s.phase})`);
        void this.sandboxes.stop(s);
        return { sandbox: this.view(s) };
      }),
      StartSandbox: unary((req: { name: string }) => {
        const s = this.named(req.name);
        if (s.phase === 'STARTING') return { sandbox: this.view(s) };
        if (s.phase !== 'STOPPED') throw new RpcError(Status.FAILED_PRECONDITION, `sandbox must be Stopped to start (current phase: ${s.phase})`);
        this.sandboxes.start(s);
        return { sandbox: this.view(s) };
      }),
      CreateSshSession: unary((req: { sandbox_id: string }) => {
        const s = this.sandboxes.byId(req.sandbox_id);
        if (!s) throw new RpcError(Status.NOT_FOUND, 'sandbox not found');
        if (s.phase !== 'READY') throw new RpcError(Status.FAILED_PRECONDITION, 'sandbox is not ready');
        const token = randomUUID();
        this.sessions.set(token, { sandboxId: s.id, active: 0 });
        return { sandbox_id: s.id, token, gateway_host: '127.0.0.1', gateway_port: this.port, gateway_scheme: 'http', expires_at_ms: 0 };
      }),
      RevokeSshSession: unary((req: { token: string }) => ({ revoked: this.sessions.delete(req.token) })),
      WatchSandbox: (call: ServerWritableStream<{ id: string; stop_on_terminal: boolean }, unknown>) => this.watch(call),
      ForwardTcp: (call: ServerDuplexStream<{ init?: ForwardInit; data?: Buffer }, { data: Buffer }>) => this.forward(call),
    });
    this.port = await new Promise<number>((resolve, reject) => this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))));
  }

  private authorize(metadata: Metadata): void {
    if (this.options.token === undefined) return;
    const header = metadata.get('authorization')[0];
    if (header === undefined) throw new RpcError(Status.UNAUTHENTICATED, 'missing authorization header');
    if (header !== `Bearer ${this.options.token}`) throw new RpcError(Status.UNAUTHENTICATED, 'invalid bearer token');
  }

  private status(err: unknown): { code: Status; details: string } {
    return err instanceof RpcError ? { code: err.code, details: err.details } : { code: Status.INTERNAL, details: String(err) };
  }

  private named(name: string): FakeSandbox {
    if (!name) throw new RpcError(Status.INVALID_ARGUMENT, 'name is required');
    const s = this.sandboxes.get(name);
    if (!s) throw new RpcError(Status.NOT_FOUND, 'sandbox not found');
    return s;
  }

  private create(req: { name: string; spec: Spec | null; labels: Record<string, string>; annotations: Record<string, string> }): FakeSandbox {
    if (!req.spec) throw new RpcError(Status.INVALID_ARGUMENT, 'spec is required');
    const name = req.name || `sb-${randomUUID().slice(0, 8)}`;
    if (name.length > 19) throw new RpcError(Status.INVALID_ARGUMENT, `name exceeds maximum length (${name.length} > 19)`);
    if (!NAME.test(name) || name.includes('--')) throw new RpcError(Status.INVALID_ARGUMENT, 'name must be a DNS-1123 label without consecutive hyphens');
    for (const [k, v] of Object.entries(req.labels)) {
      if (!LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) throw new RpcError(Status.INVALID_ARGUMENT, `invalid label ${k}=${v}`);
    }
    for (const k of Object.keys(req.spec.environment)) {
      if (k.startsWith('OPENSHELL_')) throw new RpcError(Status.INVALID_ARGUMENT, `spec.environment key ${k}: the OPENSHELL_ prefix is reserved`);
    }
    if (this.sandboxes.get(name)) throw new RpcError(Status.ALREADY_EXISTS, `sandbox '${name}' already exists`);
    const spec = req.spec.command.length ? req.spec : { ...req.spec, command: ['/bin/bash', '-l'] };
    return this.sandboxes.create(name, spec, req.labels, req.annotations);
  }

  private list(req: { limit: number; offset: number; label_selector: string }): FakeSandbox[] {
    const wanted = req.label_selector.split(',').filter(Boolean).map((pair) => {
      const [k, v] = pair.split('=');
      if (!k || v === undefined) throw new RpcError(Status.INVALID_ARGUMENT, `bad label selector ${req.label_selector}`);
      return [k.trim(), v.trim()] as const;
    });
    const matching = this.sandboxes.all().filter((s) => wanted.every(([k, v]) => s.labels[k] === v));
    const limit = req.limit === 0 ? 100 : Math.min(req.limit, 1000);
    return matching.slice(req.offset, req.offset + limit);
  }

  /** The public Sandbox message. */
  view(s: FakeSandbox): unknown {
    return {
      metadata: { id: s.id, name: s.name, created_at_ms: s.createdAtMs, labels: s.labels, annotations: s.annotations, resource_version: s.version, workspace: 'default', deletion_timestamp_ms: s.deletionMs },
      spec: s.spec,
      status: {
        sandbox_name: s.name,
        agent_pod: s.name,
        phase: `SANDBOX_PHASE_${s.phase}`,
        conditions: [{ type: 'Ready', ...s.condition, last_transition_time: new Date().toISOString() }],
        ...(s.exitCode !== undefined ? { exit_code: s.exitCode } : {}),
      },
    };
  }

  private watch(call: ServerWritableStream<{ id: string; stop_on_terminal: boolean }, unknown>): void {
    try {
      this.authorize(call.metadata);
      if (this.options.noWatch) throw new RpcError(Status.UNIMPLEMENTED, 'WatchSandbox is not implemented');
      if (!call.request.id) throw new RpcError(Status.INVALID_ARGUMENT, 'id is required');
      if (!this.sandboxes.byId(call.request.id)) throw new RpcError(Status.NOT_FOUND, 'sandbox not found');
    } catch (err) {
      return void call.emit('error', this.status(err));
    }
    const send = (): void => {
      const s = this.sandboxes.byId(call.request.id);
      if (!s) return void (unsubscribe(), call.end());
      call.write({ sandbox: this.view(s) });
      if (call.request.stop_on_terminal && s.phase === 'READY') return void (unsubscribe(), call.end());
    };
    const unsubscribe = this.sandboxes.subscribe(call.request.id, send);
    call.on('cancelled', unsubscribe);
    send();
  }

  private forward(call: ServerDuplexStream<{ init?: ForwardInit; data?: Buffer }, { data: Buffer }>): void {
    const refuse = (err: unknown) => void call.emit('error', this.status(err));
    call.once('data', (first: { init?: ForwardInit }) => {
      let release: () => void;
      let target: { ip: string; port: number };
      try {
        this.authorize(call.metadata);
        ({ release, target } = this.admit(first.init));
      } catch (err) {
        return refuse(err);
      }
      this.forwards++;
      const socket = net.connect(target.port, target.ip);
      this.sockets.add(socket);
      let connected = false;
      socket.once('connect', () => (connected = true));
      socket.once('close', () => {
        this.sockets.delete(socket);
        release();
        if (connected) call.end();
      });
      socket.on('error', (err) => {
        if (!connected) refuse(new RpcError(Status.UNAVAILABLE, `relay target open failed: ${err.message}`));
      });
      call.on('data', (frame: { data?: Buffer }) => {
        if (!frame.data?.length) return;
        if (!socket.write(frame.data)) {
          call.pause();
          socket.once('drain', () => call.resume());
        }
      });
      call.on('end', () => socket.end());
      call.on('cancelled', () => socket.destroy());
      call.on('error', () => socket.destroy());
      socket.on('data', (chunk: Buffer) => {
        if (!call.write({ data: chunk })) {
          socket.pause();
          call.once('drain', () => socket.resume());
        }
      });
    });
  }

  /** The checks the real gateway makes before it opens a relay. */
  private admit(init: ForwardInit | undefined): { release: () => void; target: { ip: string; port: number } } {
    if (!init) throw new RpcError(Status.INVALID_ARGUMENT, 'first TcpForwardFrame must be init');
    if (!init.sandbox_id) throw new RpcError(Status.INVALID_ARGUMENT, 'sandbox_id is required');
    const tcp = init.tcp;
    if (!tcp) throw new RpcError(Status.INVALID_ARGUMENT, 'tcp forward target is required');
    if (!tcp.port || tcp.port > 65535) throw new RpcError(Status.INVALID_ARGUMENT, 'tcp target port must be between 1 and 65535');
    if (!['127.0.0.1', '::1', 'localhost'].includes(tcp.host.trim().toLowerCase()) && !/^127\./.test(tcp.host)) throw new RpcError(Status.INVALID_ARGUMENT, 'tcp target host must be loopback');
    const s = this.sandboxes.byId(init.sandbox_id);
    if (!s) throw new RpcError(Status.NOT_FOUND, 'sandbox not found');
    if (s.phase !== 'READY' || !s.ip) throw new RpcError(Status.FAILED_PRECONDITION, 'sandbox is not ready');
    if (!init.authorization_token) throw new RpcError(Status.UNAUTHENTICATED, 'authorization_token is required for ForwardTcp');
    const session = this.sessions.get(init.authorization_token);
    if (!session) throw new RpcError(Status.UNAUTHENTICATED, 'SSH session token not found');
    if (session.sandboxId !== s.id) throw new RpcError(Status.UNAUTHENTICATED, 'SSH session token is not valid');
    if (session.active >= 3) throw new RpcError(Status.RESOURCE_EXHAUSTED, 'SSH session connection limit reached');
    const perSandbox = this.forwardsPerSandbox.get(s.id) ?? 0;
    if (perSandbox >= 20) throw new RpcError(Status.RESOURCE_EXHAUSTED, 'sandbox SSH connection limit reached');
    session.active++;
    this.forwardsPerSandbox.set(s.id, perSandbox + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      session.active--;
      this.forwardsPerSandbox.set(s.id, (this.forwardsPerSandbox.get(s.id) ?? 1) - 1);
    };
    return { release, target: { ip: s.ip, port: tcp.port } };
  }

  /** Kills the sandbox's main process out of band (the gateway then reports ERROR). */
  kill(name: string): void {
    this.sandboxes.kill(name);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.forceShutdown();
    await this.sandboxes.close();
  }
}

interface ForwardInit {
  sandbox_id: string;
  tcp?: { host: string; port: number } | null;
  authorization_token: string;
}
