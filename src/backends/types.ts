/**
 * The only seam to sandbox technology. Every backend passes the same contract suite
 * (see contract.ts). Backends never import the relay, sessions or identity.
 */
export interface Endpoint {
  /** Host or IP the gateway connects to. */
  host: string;
  port: number;
  /** Unguessable path prefix of the sandbox runtime, e.g. `/3f9c…`; routes are appended to it. */
  basePath: string;
  /** Unix socket of the runtime, for sandboxes with no network of their own (host/port then unused). */
  socketPath?: string;
  /** Extra headers the gateway adds when it talks to this endpoint (e.g. a router Host header). */
  headers?: Record<string, string>;
  /**
   * Statuses that a router in front of the sandbox answers itself (not the sandbox): the gateway
   * turns them into typed errors instead of relaying them (502/503 → unreachable, re-ensured once;
   * 504 → SG_UPSTREAM_TIMEOUT). JSON answers are the runtime's own and are always relayed.
   */
  routerStatuses?: readonly number[];
  /** Identifies this incarnation of the sandbox; changes whenever the sandbox is re-created. */
  id: string;
}

export type IsolationLevel = 'process' | 'namespace' | 'gvisor' | 'pod' | 'vm';

/** Kinds of browser state a mechanism can keep (the bench checks each). */
export type StateKind = 'cookie' | 'localStorage' | 'memory' | 'page';

export interface Capabilities {
  /** suspend()/resume() keep the live browser (memory, open pages). */
  suspend: boolean;
  /** A pause that keeps memory at zero CPU (freezer/SIGSTOP). */
  livePause: boolean;
  /** Browser state (cookies, storage) survives a release when persistence is enabled. */
  persistentState: boolean;
  /** A warm pool of ready sandboxes can be claimed. */
  warmPool: boolean;
  isolation: IsolationLevel;
  /** What survives suspend() → resume (empty when suspend is not supported). */
  suspendKeeps: StateKind[];
}

export interface SandboxInfo {
  tenant: string;
  backend: string;
  /** Backend-specific resource name (process id, object name …). */
  resource: string;
  state: 'starting' | 'ready' | 'suspended' | 'stopping';
  since: Date;
  endpoint?: Endpoint;
  /** Process ids that belong to this sandbox, where the backend runs local processes. */
  pids?: number[];
  /** Processes the kernel's OOM killer killed inside this sandbox's cgroup. */
  oomKills?: number;
}

export interface EnsureOptions {
  /** Aborts provisioning; the backend must clean up what it started. */
  signal: AbortSignal;
}

export type LostListener = (tenant: string, endpointId: string, reason: string) => void;

export interface Backend {
  readonly name: string;
  readonly capabilities: Capabilities;
  start(): Promise<void>;
  /** Releases every sandbox this backend instance owns and stops background work. */
  close(): Promise<void>;
  /**
   * Returns a ready endpoint for the tenant, creating the sandbox if needed.
   * Idempotent; concurrent calls for one tenant yield one sandbox. Throws SandgateError
   * (SG_BACKEND_TERMINAL, SG_BACKEND_UNAVAILABLE, SG_ENSURE_ABORTED, SG_RUNTIME_FAILED …).
   */
  ensure(tenant: string, options: EnsureOptions): Promise<Endpoint>;
  /** Destroys the tenant's sandbox; resolves when it is gone. A no-op for unknown tenants. */
  release(tenant: string): Promise<void>;
  /** Only the sandboxes this gateway owns. */
  list(): Promise<SandboxInfo[]>;
  /**
   * Optional: keeps the sandbox with its live state but stops it from running (capabilities.suspend).
   * The next ensure() resumes it transparently.
   */
  suspend?(tenant: string): Promise<void>;
  /** Optional (backends with a warm pool): resolves once the pool is full again, or refilling gave up. */
  poolReady?(): Promise<void>;
  /** Optional: resumes a suspended sandbox now instead of on the next ensure(). */
  resume?(tenant: string): Promise<void>;
  /** Called when a sandbox dies on its own (crash, OOM, deleted out of band). */
  onLost(listener: LostListener): void;
}
