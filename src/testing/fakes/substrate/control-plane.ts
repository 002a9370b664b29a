/**
 * A fake substrate control plane: a real gRPC server (ateapi.Control, our own proto) over TLS on
 * loopback, in either request shape. Auth as upstream: mtls (client certificate checked in the TLS
 * handshake against the CA) or jwt (server-only TLS + `authorization: Bearer` checked on every call).
 * Behaviour follows upstream where it is known: CreateActor makes a SUSPENDED actor, transitions are
 * synchronous, DeleteActor refuses actors that are not SUSPENDED, ListActors pages.
 */
import { readFileSync } from 'node:fs';
import { Server, ServerCredentials, status as GrpcStatus, type ServerUnaryCall, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { controlConstructor, type ApiShape } from '../../../backends/substrate/api.js';
import { ActorStore, ApiFailure, type ActorStoreOptions, type FakeActor } from './actors.js';

export interface ControlPlaneOptions extends Partial<ActorStoreOptions> {
  api: ApiShape;
  auth: 'mtls' | 'jwt';
  tls: { caCert: string; serverCert: string; serverKey: string };
  /** jwt mode: returns a refusal reason, or undefined when the token is accepted. */
  verifyToken?: (token: string) => Promise<string | undefined>;
}

interface Req {
  actor_ref?: { atespace?: string; name?: string };
  actor_id?: string;
  actor_template_namespace?: string;
  actor_template_name?: string;
  boot?: boolean;
  page_size?: number;
  page_token?: string;
  atespace?: string;
}

export class FakeControlPlane {
  readonly store: ActorStore;
  /** Every RPC served, by method name (to prove what a client did or did not call). */
  readonly calls: string[] = [];
  /** Bearer tokens presented, in order (jwt mode), to prove a rotated token is used. */
  readonly bearers: string[] = [];
  private readonly server = new Server();
  port = 0;

  constructor(readonly options: ControlPlaneOptions) {
    this.store = new ActorStore({ capacity: options.capacity ?? 16, transitionMs: options.transitionMs ?? 100, noWorker: options.noWorker ?? 'RESOURCE_EXHAUSTED' });
    this.server.addService(controlConstructor(options.api).service, this.handlers());
  }

  async start(): Promise<void> {
    const { tls } = this.options;
    const creds = ServerCredentials.createSsl(readFileSync(tls.caCert), [{ cert_chain: readFileSync(tls.serverCert), private_key: readFileSync(tls.serverKey) }], this.options.auth === 'mtls');
    this.port = await new Promise<number>((resolve, reject) => this.server.bindAsync('127.0.0.1:0', creds, (err, port) => (err ? reject(err) : resolve(port))));
  }

  /** The address parts of a request in the configured shape. */
  private ref(req: Req): { atespace: string; name: string } {
    return this.options.api === 'actor-ref' ? { atespace: req.actor_ref?.atespace ?? '', name: req.actor_ref?.name ?? '' } : { atespace: '', name: req.actor_id ?? '' };
  }

  actor(atespace: string, name: string): FakeActor | undefined {
    return this.store.actors.get(this.store.key(this.options.api === 'actor-ref' ? atespace : '', name));
  }

  private wire(a: FakeActor): Record<string, unknown> {
    return { actor_id: a.name, version: String(a.version), actor_template_namespace: a.templateNamespace, actor_template_name: a.templateName, status: `STATUS_${a.status}`, ...(this.options.api === 'actor-ref' ? { atespace: a.atespace } : {}) };
  }

  private handlers(): UntypedServiceImplementation {
    const s = this.store;
    const one = (fn: (req: Req) => Promise<FakeActor>) => async (req: Req) => ({ actor: this.wire(await fn(req)) });
    const methods: Record<string, (req: Req) => Promise<unknown>> = {
      GetActor: one(async (r) => s.get(this.ref(r).atespace, this.ref(r).name)),
      CreateActor: one(async (r) => {
        const { atespace, name } = this.ref(r);
        if (this.options.api === 'actor-ref' && !atespace) throw new ApiFailure('INVALID_ARGUMENT', 'atespace is required');
        return s.create(atespace, name, r.actor_template_namespace ?? '', r.actor_template_name ?? '', this.options.api === 'actor-ref');
      }),
      ResumeActor: one(async (r) => s.resume(s.get(this.ref(r).atespace, this.ref(r).name), r.boot ?? false)),
      SuspendActor: one(async (r) => s.freeze(s.get(this.ref(r).atespace, this.ref(r).name), 'SUSPENDED')),
      PauseActor: one(async (r) => s.freeze(s.get(this.ref(r).atespace, this.ref(r).name), 'PAUSED')),
      DeleteActor: async (r) => {
        await s.delete(s.get(this.ref(r).atespace, this.ref(r).name));
        return {};
      },
      ListActors: async (r) => {
        const size = Math.min(r.page_size || 100, 1000);
        const from = Number(r.page_token || '0');
        const all = [...s.actors.values()].filter((a) => !r.atespace || a.atespace === r.atespace);
        const page = all.slice(from, from + size);
        return { actors: page.map((a) => this.wire(a)), next_page_token: from + size < all.length ? String(from + size) : '' };
      },
    };
    const impl: UntypedServiceImplementation = {};
    for (const [name, fn] of Object.entries(methods)) {
      impl[name] = (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>) => {
        this.calls.push(name);
        this.authorize(call)
          .then(() => fn(call.request))
          .then((res) => callback(null, res))
          .catch((err: unknown) => callback(toStatus(err)));
      };
    }
    return impl;
  }

  private async authorize(call: ServerUnaryCall<Req, unknown>): Promise<void> {
    if (this.options.auth !== 'jwt') return; // mtls: the TLS handshake checked the client certificate
    const header = String(call.metadata.get('authorization')[0] ?? '');
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    if (!token) throw Object.assign(new Error('missing bearer token'), { grpc: GrpcStatus.UNAUTHENTICATED });
    this.bearers.push(token);
    const refusal = await (this.options.verifyToken ?? (async () => 'no verifier configured'))(token);
    if (refusal) throw Object.assign(new Error(refusal), { grpc: GrpcStatus.UNAUTHENTICATED });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server.forceShutdown();
    await this.store.close();
  }
}

function toStatus(err: unknown): { code: GrpcStatus; details: string } {
  if (err instanceof ApiFailure) return { code: GrpcStatus[err.code], details: err.message };
  const code = (err as { grpc?: GrpcStatus }).grpc ?? GrpcStatus.INTERNAL;
  return { code, details: err instanceof Error ? err.message : String(err) };
}
