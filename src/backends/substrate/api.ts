/**
 * A small typed client for ateapi.Control over TLS, in either request shape: `actor-ref`
 * (ActorRef{atespace, name}) or the older `actor-id` (a plain string, no atespaces). Auth is mTLS
 * (client certificate) or jwt (bearer token re-read from its file on every call). Every call has a
 * deadline and can be cancelled with an AbortSignal; failures become SandgateErrors.
 */
import { status as Status, type Client, type ServiceClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { SandgateError } from '../../errors/errors.js';
import { callMetadata, channelCredentials, serverNameOptions } from '../../grpc/credentials.js';
import { loadProto } from '../../grpc/proto.js';
import { grpcCode, grpcError } from '../../grpc/status.js';
import { unaryCall } from '../../grpc/unary.js';

export type ApiShape = 'actor-ref' | 'actor-id';
export type ActorStatus = 'RESUMING' | 'RUNNING' | 'SUSPENDING' | 'SUSPENDED' | 'PAUSING' | 'PAUSED' | 'CRASHED' | 'UNSPECIFIED';

export interface Actor {
  name: string;
  /** Empty in the actor-id shape. */
  atespace: string;
  status: ActorStatus;
  version: string;
}

export interface ControlOptions {
  /** HOST:PORT of the API. */
  endpoint: string;
  api: ApiShape;
  auth: 'mtls' | 'jwt';
  serverName: string;
  caFile: string;
  certFile?: string;
  keyFile?: string;
  tokenFile?: string;
  atespace: string;
  /** Deadline of one call that is not a lifecycle transition (ms). */
  callTimeoutMs?: number;
}

interface WireActor {
  actor_id?: string;
  atespace?: string;
  status?: string;
  version?: string;
}

const PROTO: Record<ApiShape, string> = { 'actor-ref': 'ateapi/control.proto', 'actor-id': 'ateapi/control-actor-id.proto' };

/** The generated ateapi.Control client/service for a request shape (also served by the test fake). */
export function controlConstructor(api: ApiShape): ServiceClientConstructor {
  const pkg = loadProto(PROTO[api]).ateapi as Record<string, unknown>;
  return pkg.Control as ServiceClientConstructor;
}

function toActor(wire: WireActor | undefined): Actor {
  return {
    name: wire?.actor_id ?? '',
    atespace: wire?.atespace ?? '',
    status: (wire?.status ?? 'STATUS_UNSPECIFIED').replace(/^STATUS_/, '') as ActorStatus,
    version: wire?.version ?? '0',
  };
}

/** True when the API says no worker is free (ResourceExhausted, or FailedPrecondition as current upstream words it). */
export function isNoFreeWorker(err: unknown): boolean {
  const code = grpcCode(err);
  if (code === Status.RESOURCE_EXHAUSTED) return true;
  return code === Status.FAILED_PRECONDITION && /no free worker/i.test((err as ServiceError).details ?? '');
}

export class ActorApi {
  private client: Client | undefined;
  private readonly ctor: ServiceClientConstructor;

  constructor(private readonly options: ControlOptions) {
    this.ctor = controlConstructor(options.api);
    if (options.auth === 'mtls' && (!options.certFile || !options.keyFile)) {
      throw new SandgateError('SG_CONFIG_INVALID', 'substrate mtls auth needs a client certificate and key file');
    }
    if (options.auth === 'jwt' && !options.tokenFile) throw new SandgateError('SG_CONFIG_INVALID', 'substrate jwt auth needs a token file');
  }

  private get c(): Client {
    if (!this.client) {
      const o = this.options;
      const creds = channelCredentials({ tls: true, caFile: o.caFile, ...(o.auth === 'mtls' ? { certFile: o.certFile, keyFile: o.keyFile } : {}) });
      this.client = new this.ctor(o.endpoint, creds, serverNameOptions(o.serverName));
    }
    return this.client;
  }

  /** The request's actor address in the configured shape. */
  private ref(name: string): Record<string, unknown> {
    return this.options.api === 'actor-ref' ? { actor_ref: { atespace: this.options.atespace, name } } : { actor_id: name };
  }

  private async call<T>(method: string, request: unknown, what: string, opts: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } = {}): Promise<T> {
    const metadata = await callMetadata({ tokenFile: this.options.auth === 'jwt' ? this.options.tokenFile : undefined });
    return unaryCall<T>(this.c, method, request, { metadata, what, signal: opts.signal, timeoutMs: opts.timeoutMs ?? this.options.callTimeoutMs ?? 10_000 });
  }

  /** Wraps a raw gRPC failure; "no free worker" is retryable whatever code the build uses. */
  error(what: string, err: unknown): SandgateError {
    if (isNoFreeWorker(err)) {
      return new SandgateError('SG_BACKEND_UNAVAILABLE', `${what}: no free substrate worker (${(err as ServiceError).details})`, { cause: err, retryAfter: 5, detail: { reason: 'NoFreeWorker' } });
    }
    return grpcError(what, err);
  }

  /** undefined when the actor does not exist. */
  async get(name: string, signal?: AbortSignal): Promise<Actor | undefined> {
    try {
      const res = await this.call<{ actor?: WireActor }>('GetActor', this.ref(name), `GetActor ${name}`, { signal });
      return toActor(res.actor);
    } catch (err) {
      if (grpcCode(err) === Status.NOT_FOUND) return undefined;
      throw this.error(`GetActor ${name}`, err);
    }
  }

  /** Raw: AlreadyExists is left to the caller (as a gRPC error). */
  async create(name: string, template: { namespace: string; name: string }, selector: Record<string, string> | undefined, signal?: AbortSignal): Promise<Actor> {
    const request = { ...this.ref(name), actor_template_namespace: template.namespace, actor_template_name: template.name, ...(selector ? { worker_selector: { match_labels: selector } } : {}) };
    const res = await this.call<{ actor?: WireActor }>('CreateActor', request, `CreateActor ${name}`, { signal });
    return toActor(res.actor);
  }

  /** Transitions run synchronously on the server (a resume restores a snapshot): they get `timeoutMs`. */
  async transition(method: 'ResumeActor' | 'SuspendActor' | 'PauseActor', name: string, opts: { boot?: boolean; signal?: AbortSignal | undefined; timeoutMs: number }): Promise<Actor> {
    const request = method === 'ResumeActor' ? { ...this.ref(name), boot: opts.boot ?? false } : this.ref(name);
    const res = await this.call<{ actor?: WireActor }>(method, request, `${method} ${name}`, opts);
    return toActor(res.actor);
  }

  /** Raw: FailedPrecondition (not suspended) and NotFound are left to the caller. */
  async delete(name: string): Promise<void> {
    await this.call('DeleteActor', this.ref(name), `DeleteActor ${name}`);
  }

  /** Every actor of our atespace (the older shape has none: all actors), following page tokens. */
  async list(pageSize = 100): Promise<Actor[]> {
    const out: Actor[] = [];
    let token = '';
    do {
      const request = { page_size: pageSize, page_token: token, ...(this.options.api === 'actor-ref' ? { atespace: this.options.atespace } : {}) };
      let res: { actors?: WireActor[]; next_page_token?: string };
      try {
        res = await this.call('ListActors', request, 'ListActors');
      } catch (err) {
        throw this.error('ListActors', err);
      }
      out.push(...(res.actors ?? []).map(toActor));
      token = res.next_page_token ?? '';
    } while (token);
    return out;
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
