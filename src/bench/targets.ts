/**
 * What the bench measures: an embedded gateway per backend (started here, header identity on loopback),
 * a remote gateway (any running sandgate, with its identity scheme), or sandbox runtimes reached
 * directly, with no gateway, as the baseline.
 */
import { loadConfig } from '../config/load.js';
import { createBackend } from '../backends/index.js';
import type { Capabilities } from '../backends/types.js';
import { spawnRuntime, type SpawnedRuntime } from '../backends/local-process/spawn-runtime.js';
import { createIdentity } from '../identity/index.js';
import { issueToken } from '../identity/token.js';
import { createLogger } from '../observability/logger.js';
import { Gateway } from '../gateway/gateway.js';
import { killTree } from '../process/tree.js';
import type { BackendName, GatewayChoice, Protocol } from './options.js';
import type { ClientConn } from './sample.js';

/** A gateway the bench drives: how to reach a tenant's sandbox, and (embedded only) how to destroy it. */
export interface GatewayTarget {
  /** The backend label used in results. */
  readonly name: string;
  readonly capabilities?: Capabilities;
  conn(tenant: string, protocol: Protocol): ClientConn;
  /** Destroys the tenant's sandbox; absent for a remote gateway (no API for it). */
  release?(tenant: string): Promise<void>;
  /** The sandboxes have no network (local-gvisor): the target page is served by the client. */
  offline?: boolean;
  /** Resolves when the backend's warm pool is full again (embedded gateways with a pool). */
  poolReady?(): Promise<void>;
  /** Live-suspends the tenant's sandbox (embedded backends that can); the next connect resumes it. */
  suspend?(tenant: string): Promise<void>;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  backend: BackendName;
  warmPool: number;
  chromiumPath: string;
  chromiumArgs: readonly string[];
  logLevel: string;
  /** SANDGATE_* settings (and SANDGATE_CONFIG) for backend-specific keys; the options above override them. */
  env: NodeJS.ProcessEnv;
  /** Name shown in results instead of the backend's own (e.g. to say that a fake control plane stands in). */
  label?: string;
}

const TENANT_HEADER = 'X-Sandgate-Tenant';
const TOKEN_TTL_MS = 60 * 60 * 1000;

/**
 * Starts a gateway in this process; with warmPool > 0 it returns once the pool is filled. Backend-specific
 * keys (e.g. SANDGATE_SANDBOX_NETWORK for local-bwrap) come from the environment / SANDGATE_CONFIG file.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<GatewayTarget> {
  const config = loadConfig({
    env: opts.env,
    flags: {
      backend: opts.backend,
      listen: '127.0.0.1:0',
      management: '127.0.0.1:0',
      identity: 'header',
      identityHeader: TENANT_HEADER,
      chromiumPath: opts.chromiumPath,
      chromiumArgs: opts.chromiumArgs.join(' '),
      warmPool: opts.warmPool,
      logLevel: opts.logLevel,
      // The built-in target page is on the host's loopback: a bwrap box needs the host network to load it.
      sandboxNetwork: opts.env.SANDGATE_SANDBOX_NETWORK ?? 'shared',
    },
  });
  const backend = createBackend(config);
  const gateway = new Gateway({ config, backend, identity: createIdentity(config), logger: createLogger(config.logLevel) });
  const { data } = await gateway.start();
  const base = `ws://127.0.0.1:${data.port}`;
  const canSuspend = backend.capabilities.suspend && backend.suspend !== undefined;
  return {
    name: opts.label ?? backend.name,
    capabilities: backend.capabilities,
    conn: (tenant, protocol) => ({ url: `${base}/${protocol}`, headers: { [TENANT_HEADER]: tenant } }),
    release: (tenant) => gateway.sessions.release(tenant),
    ...(backend.capabilities.isolation === 'gvisor' ? { offline: true } : {}),
    ...(backend.poolReady ? { poolReady: () => (backend.poolReady as () => Promise<void>).call(backend) } : {}),
    ...(canSuspend
      ? {
          suspend: async (t: string) => {
            if (!(await gateway.sessions.suspend(t))) throw new Error(`sandbox of ${t} could not be suspended`);
          },
        }
      : {}),
    close: () => gateway.close(),
  };
}

/** A running gateway at `url`, identified the way it expects (header, /t/<tenant>/ path or signed token). */
export function remoteTarget(choice: Extract<GatewayChoice, { kind: 'remote' }>): GatewayTarget {
  const conn = (tenant: string, protocol: Protocol): ClientConn => {
    switch (choice.identity) {
      case 'header':
        return { url: `${choice.url}/${protocol}`, headers: { [choice.identityHeader]: tenant } };
      case 'path':
        return { url: `${choice.url}/t/${encodeURIComponent(tenant)}/${protocol}`, headers: {} };
      case 'token':
        return { url: `${choice.url}/${protocol}`, headers: { authorization: `Bearer ${issueToken(choice.tokenSecret, tenant, TOKEN_TTL_MS)}` } };
    }
  };
  return { name: choice.label, conn, close: async () => undefined };
}

/** Sandbox runtimes started directly (no gateway, no backend): one per client slot. */
export interface DirectRuntimes {
  conn(slot: number, protocol: Protocol): ClientConn;
  close(): Promise<void>;
}

async function stop(rt: SpawnedRuntime): Promise<void> {
  await killTree(rt.pid, 3000);
  await rt.exited;
}

/** Spawns `count` runtimes at once; if any fails, the others are stopped and the error is thrown. */
export async function startDirect(count: number, chromiumPath: string, chromiumArgs: readonly string[]): Promise<DirectRuntimes> {
  const abort = new AbortController();
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => spawnRuntime({ chromiumPath, chromiumArgs, signal: abort.signal })),
  );
  const runtimes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(runtimes.map(stop));
    throw failed.reason;
  }
  return {
    conn: (slot, protocol) => {
      const rt = runtimes[slot % runtimes.length] as SpawnedRuntime;
      return { url: `ws://127.0.0.1:${rt.port}${rt.basePath}/${protocol}`, headers: {} };
    },
    close: async () => {
      await Promise.all(runtimes.map(stop));
    },
  };
}
