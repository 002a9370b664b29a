/**
 * A small typed client for the OpenShell gateway API (openshell.v1.OpenShell): plaintext h2c or TLS,
 * `authorization: Bearer <token>` re-read from its file on every call. Unary failures stay raw
 * ServiceErrors where the caller branches on them (NOT_FOUND, ALREADY_EXISTS); the rest become
 * SandgateErrors through the shared gRPC mapping.
 */
import { status as Status, type Client, type ClientDuplexStream, type ClientReadableStream, type Metadata, type ServiceClientConstructor } from '@grpc/grpc-js';
import { callMetadata, channelCredentials } from '../../../grpc/credentials.js';
import { loadProto } from '../../../grpc/proto.js';
import { grpcCode, grpcError } from '../../../grpc/status.js';
import { unaryCall } from '../../../grpc/unary.js';
import type { CreateRequest, Sandbox, SshSession, StreamEvent, TcpForwardFrame } from './wire.js';

export interface ApiOptions {
  /** HOST:PORT of the gateway API. */
  endpoint: string;
  tls: boolean;
  caFile?: string | undefined;
  tokenFile?: string | undefined;
  /** Deadline of one unary call (ms). */
  callTimeoutMs?: number | undefined;
}

export const PROTO_FILE = 'openshell/v1/openshell.proto';

function serviceConstructor(): ServiceClientConstructor {
  const v1 = (loadProto(PROTO_FILE).openshell as Record<string, Record<string, unknown>> | undefined)?.v1;
  return v1?.OpenShell as ServiceClientConstructor;
}

export class OpenShellApi {
  private client: Client | undefined;

  constructor(private readonly options: ApiOptions) {}

  private get c(): Client {
    if (!this.client) {
      const Ctor = serviceConstructor();
      this.client = new Ctor(this.options.endpoint, channelCredentials({ tls: this.options.tls, caFile: this.options.caFile }));
    }
    return this.client;
  }

  metadata(): Promise<Metadata> {
    return callMetadata({ tokenFile: this.options.tokenFile });
  }

  private async call<T>(method: string, request: unknown, what: string, signal?: AbortSignal): Promise<T> {
    return unaryCall<T>(this.c, method, request, { metadata: await this.metadata(), timeoutMs: this.options.callTimeoutMs ?? 15_000, signal, what });
  }

  /** Raw: ALREADY_EXISTS is left to the caller. */
  async create(request: CreateRequest, signal?: AbortSignal): Promise<Sandbox> {
    const res = await this.call<{ sandbox: Sandbox }>('CreateSandbox', request, `CreateSandbox ${request.name}`, signal);
    return res.sandbox;
  }

  /** undefined when there is no sandbox of that name. */
  async get(name: string, signal?: AbortSignal): Promise<Sandbox | undefined> {
    try {
      return (await this.call<{ sandbox: Sandbox }>('GetSandbox', { name }, `GetSandbox ${name}`, signal)).sandbox;
    } catch (err) {
      if (grpcCode(err) === Status.NOT_FOUND) return undefined;
      throw grpcError(`GetSandbox ${name}`, err);
    }
  }

  /** Every sandbox matching `selector` ("k=v,k2=v2"), page by page. */
  async list(selector: string, pageSize = 100): Promise<Sandbox[]> {
    const out: Sandbox[] = [];
    for (let offset = 0; ; offset += pageSize) {
      let page: Sandbox[];
      try {
        page = (await this.call<{ sandboxes: Sandbox[] }>('ListSandboxes', { limit: pageSize, offset, label_selector: selector }, 'ListSandboxes')).sandboxes;
      } catch (err) {
        throw grpcError('ListSandboxes', err);
      }
      out.push(...page);
      if (page.length < pageSize) return out;
    }
  }

  /** False when it was already gone. */
  async delete(name: string): Promise<boolean> {
    try {
      return (await this.call<{ deleted: boolean }>('DeleteSandbox', { name }, `DeleteSandbox ${name}`)).deleted;
    } catch (err) {
      if (grpcCode(err) === Status.NOT_FOUND) return false;
      throw grpcError(`DeleteSandbox ${name}`, err);
    }
  }

  async lifecycle(method: 'StopSandbox' | 'StartSandbox', name: string, signal?: AbortSignal): Promise<Sandbox> {
    try {
      return (await this.call<{ sandbox: Sandbox }>(method, { name }, `${method} ${name}`, signal)).sandbox;
    } catch (err) {
      throw grpcError(`${method} ${name}`, err);
    }
  }

  /** A session token for ForwardTcp (the gateway limits concurrent forwards per token). */
  async session(sandboxId: string): Promise<SshSession> {
    try {
      const res = await this.call<{ token: string; expires_at_ms: string }>('CreateSshSession', { sandbox_id: sandboxId }, `CreateSshSession ${sandboxId}`);
      return { token: res.token, expiresAtMs: Number(res.expires_at_ms) };
    } catch (err) {
      throw grpcError(`CreateSshSession ${sandboxId}`, err);
    }
  }

  async revoke(token: string): Promise<void> {
    await this.call('RevokeSshSession', { token }, 'RevokeSshSession').catch(() => undefined);
  }

  /** Status snapshots of sandbox `id`: the current one first, then one per change. */
  async watch(id: string): Promise<ClientReadableStream<StreamEvent>> {
    const metadata = await this.metadata();
    const fn = (this.c as unknown as Record<string, (req: unknown, md: Metadata) => ClientReadableStream<StreamEvent>>).WatchSandbox;
    return fn!.call(this.c, { id, follow_status: true }, metadata);
  }

  /** One ForwardTcp stream; the caller writes the init frame first. */
  async forward(): Promise<ClientDuplexStream<TcpForwardFrame, TcpForwardFrame>> {
    const metadata = await this.metadata();
    const fn = (this.c as unknown as Record<string, (md: Metadata) => ClientDuplexStream<TcpForwardFrame, TcpForwardFrame>>).ForwardTcp;
    return fn!.call(this.c, metadata);
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
