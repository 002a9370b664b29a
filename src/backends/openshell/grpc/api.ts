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

const PROTO_FILE = 'openshell/v1/openshell.proto';

/** The openshell.v1.OpenShell service (the fake gateway serves the same definition). */
export function openShellService(): ServiceClientConstructor {
  const v1 = (loadProto(PROTO_FILE).openshell as Record<string, Record<string, unknown>> | undefined)?.v1;
  return v1?.OpenShell as ServiceClientConstructor;
}

export class OpenShellApi {
  private client: Client | undefined;

  constructor(private readonly options: ApiOptions) {}

  private get c(): Client {
    if (!this.client) {
      const Ctor = openShellService();
      this.client = new Ctor(this.options.endpoint, channelCredentials({ tls: this.options.tls, caFile: this.options.caFile }));
    }
    return this.client;
  }

  private metadata(): Promise<Metadata> {
    return callMetadata({ tokenFile: this.options.tokenFile });
  }

  private async call<T>(method: string, request: unknown, what: string, signal?: AbortSignal): Promise<T> {
    return unaryCall<T>(this.c, method, request, { metadata: await this.metadata(), timeoutMs: this.options.callTimeoutMs ?? 15_000, signal, what });
  }

  /** call(), with every failure mapped through grpcError. */
  private async mapped<T>(method: string, request: unknown, what: string, signal?: AbortSignal): Promise<T> {
    try {
      return await this.call<T>(method, request, what, signal);
    } catch (err) {
      throw grpcError(what, err);
    }
  }

  /** Raw: ALREADY_EXISTS is left to the caller. */
  async create(request: CreateRequest): Promise<Sandbox> {
    const res = await this.call<{ sandbox: Sandbox }>('CreateSandbox', request, `CreateSandbox ${request.name}`);
    return res.sandbox;
  }

  /** undefined when there is no sandbox of that name. */
  async get(name: string): Promise<Sandbox | undefined> {
    try {
      return (await this.call<{ sandbox: Sandbox }>('GetSandbox', { name }, `GetSandbox ${name}`)).sandbox;
    } catch (err) {
      if (grpcCode(err) === Status.NOT_FOUND) return undefined;
      throw grpcError(`GetSandbox ${name}`, err);
    }
  }

  /** Every sandbox matching `selector` ("k=v,k2=v2"), page by page. */
  async list(selector: string, pageSize = 100): Promise<Sandbox[]> {
    const out: Sandbox[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const page = (await this.mapped<{ sandboxes: Sandbox[] }>('ListSandboxes', { limit: pageSize, offset, label_selector: selector }, 'ListSandboxes')).sandboxes;
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
    return (await this.mapped<{ sandbox: Sandbox }>(method, { name }, `${method} ${name}`, signal)).sandbox;
  }

  /** A session token for ForwardTcp (the gateway limits concurrent forwards per token). */
  async session(sandboxId: string): Promise<SshSession> {
    const res = await this.mapped<{ token: string; expires_at_ms: string }>('CreateSshSession', { sandbox_id: sandboxId }, `CreateSshSession ${sandboxId}`);
    return { token: res.token, expiresAtMs: Number(res.expires_at_ms) };
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
