/**
 * The gateway: identity → sessions → relay. Owns the data listener and the management
 * listener, and the shutdown order: readyz 503 → stop accepting → close WebSockets with 1001
 * → wait for in-flight HTTP up to the drain budget → release sandboxes → exit.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Backend, Endpoint } from '../backends/types.js';
import type { Config } from '../config/schema.js';
import { SandgateError, toSandgateError } from '../errors/errors.js';
import type { IdentityProvider } from '../identity/index.js';
import type { Logger } from '../observability/logger.js';
import { publishConnection, publishError } from '../observability/events.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { forwardHttp, forwardUpgrade, type RelayLimits, type RelayTarget, type WsConnection } from '../relay/index.js';
import { Sessions, type Lease } from '../sessions/sessions.js';
import { rejectUpgrade, sendError } from './responses.js';
import { WS_ROUTES, httpRoute } from './routes.js';
import { createManagementHandler } from './management.js';
import { createAdminHandler } from './admin.js';
import { StatePersistence } from './persistence.js';

export interface GatewayDeps {
  config: Config;
  backend: Backend;
  identity: IdentityProvider;
  logger: Logger;
}

function parseHostPort(value: string): { host: string; port: number } {
  const i = value.lastIndexOf(':');
  return { host: value.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(value.slice(i + 1)) };
}

function target(endpoint: Endpoint, route: string, search: string): RelayTarget {
  return { host: endpoint.host, port: endpoint.port, path: endpoint.basePath + route + search, headers: endpoint.headers, socketPath: endpoint.socketPath, routerStatuses: endpoint.routerStatuses };
}

function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    typeof req.headers['sec-websocket-key'] === 'string' &&
    req.headers['sec-websocket-version'] === '13'
  );
}

export class Gateway {
  readonly sessions: Sessions;
  readonly metrics: Metrics;
  readonly persistence: StatePersistence;
  private readonly data: http.Server;
  private readonly management: http.Server;
  private readonly limits: RelayLimits;
  private readonly sockets = new Set<WsConnection>();
  private readonly inflight = new Set<Promise<unknown>>();
  private draining = false;
  private started = false;

  constructor(private readonly deps: GatewayDeps) {
    const { config, backend } = deps;
    this.persistence = new StatePersistence({ mode: config.persistState, dir: config.stateDir, retentionMs: config.stateRetention, logger: deps.logger });
    this.sessions = new Sessions({
      backend,
      ensureTimeoutMs: config.ensureTimeout,
      idleTtlMs: config.idleTtl,
      maxLifetimeMs: config.maxLifetime,
      reapIntervalMs: config.reapInterval,
      maxConnectionsPerTenant: config.maxConnectionsPerTenant,
      idleAction: config.idleAction,
      suspendedTtlMs: config.suspendedTtl,
      hooks: this.persistence.hooks(),
    });
    this.metrics = createMetrics();
    this.limits = {
      connectTimeoutMs: config.upstreamConnectTimeout,
      idleTimeoutMs: config.wsIdleTimeout,
      stripHeaders: deps.identity.headers,
    };
    this.data = http.createServer({ maxHeaderSize: config.maxHeaderBytes, noDelay: true }, (req, res) => this.track(this.onRequest(req, res)));
    this.data.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.onUpgrade(req, socket, head));
    this.data.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      const code = err.code === 'HPE_HEADER_OVERFLOW' ? 'SG_HEADERS_TOO_LARGE' : 'SG_BAD_REQUEST';
      publishError({ code, where: 'http' });
      rejectUpgrade(socket, new SandgateError(code, code === 'SG_BAD_REQUEST' ? `malformed request: ${err.code ?? err.message}` : undefined));
    });
    this.management = http.createServer(
      createManagementHandler({
        ready: () => this.started && !this.draining,
        registry: this.metrics.registry,
        admin: createAdminHandler({ token: config.adminToken, backend, sessions: this.sessions }),
      }),
    );
  }

  /** Listens on both ports; returns the bound addresses (port 0 picks a free one). */
  async start(): Promise<{ data: AddressInfo; management: AddressInfo }> {
    await this.deps.identity.start?.();
    await this.deps.backend.start();
    this.sessions.start();
    const listen = (server: http.Server, addr: string) =>
      new Promise<AddressInfo>((resolve, reject) => {
        const { host, port } = parseHostPort(addr);
        server.once('error', reject);
        server.listen(port, host, () => resolve(server.address() as AddressInfo));
      });
    const management = await listen(this.management, this.deps.config.management);
    const data = await listen(this.data, this.deps.config.listen);
    this.started = true;
    this.deps.logger.info({ data: `${data.address}:${data.port}`, management: `${management.address}:${management.port}`, backend: this.deps.backend.name }, 'gateway listening');
    return { data, management };
  }

  private track(p: Promise<unknown>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const log = this.deps.logger.child({ req: randomUUID().slice(0, 8) });
    const gone = new AbortController();
    socket.once('close', () => gone.abort(new SandgateError('SG_ENSURE_ABORTED', 'client went away')));
    socket.on('error', () => socket.destroy());
    try {
      if (this.draining) throw new SandgateError('SG_SHUTTING_DOWN');
      if (!isWebSocketUpgrade(req)) throw new SandgateError('SG_BAD_REQUEST', 'not a valid WebSocket handshake (GET, Upgrade: websocket, Sec-WebSocket-Key, version 13)');
      const url = new URL(req.url ?? '/', 'http://gateway');
      const id = await this.deps.identity.identify(req, url);
      const route = WS_ROUTES[id.route];
      if (!route) throw new SandgateError('SG_ROUTE_NOT_FOUND', `no WebSocket route ${id.route}; use /playwright or /cdp`);
      const tlog = log.child({ tenant: id.tenant });
      this.persistence.noteRequest(id.tenant, req.headers);
      await this.withLease(id.tenant, gone.signal, async (lease) => {
        const result = await forwardUpgrade(req, socket, head, target(lease.endpoint, route, id.search), this.limits);
        if (result.kind === 'rejected') {
          tlog.warn({ status: result.status }, 'sandbox refused the upgrade');
          return false;
        }
        const conn = result.connection;
        this.sockets.add(conn);
        lease.onTerminate((err) => conn.close(err.closeCode, err.message));
        publishConnection({ type: 'open', kind: 'ws' });
        tlog.info({ route: id.route }, 'websocket open');
        void conn.closed.then((stats) => {
          this.sockets.delete(conn);
          lease.release();
          publishConnection({ type: 'close', kind: 'ws', bytesIn: stats.bytesIn, bytesOut: stats.bytesOut });
          tlog.info({ route: id.route, ...stats }, 'websocket closed');
        });
        return true;
      });
    } catch (err) {
      const error = toSandgateError(err);
      publishError({ code: error.code, where: 'upgrade' });
      log.warn({ code: error.code, err: error.message }, 'upgrade refused');
      rejectUpgrade(socket, error);
    }
  }

  /**
   * Runs `use` with a lease. A dead endpoint (refused/reset before anything reached the
   * client) is dropped and the sandbox re-ensured once, transparently. `use` returns true
   * when the lease stays held (a live WebSocket) and false when it can be released now.
   */
  private async withLease(tenant: string, signal: AbortSignal, use: (lease: Lease) => Promise<boolean>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const lease = await this.sessions.acquire(tenant, signal);
      let keep = false;
      try {
        keep = await use(lease);
        return;
      } catch (err) {
        if (!(err instanceof SandgateError) || err.code !== 'SG_UPSTREAM_UNREACHABLE') throw err;
        this.sessions.invalidate(tenant, lease.endpoint.id, err.message);
        if (attempt > 0) throw new SandgateError('SG_SANDBOX_DIED', `sandbox unreachable after a fresh ensure: ${err.message}`, { cause: err });
      } finally {
        if (!keep) lease.release();
      }
    }
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const gone = new AbortController();
    res.once('close', () => gone.abort(new SandgateError('SG_ENSURE_ABORTED', 'client went away')));
    try {
      if (this.draining) throw new SandgateError('SG_SHUTTING_DOWN');
      const url = new URL(req.url ?? '/', 'http://gateway');
      const id = await this.deps.identity.identify(req, url);
      if (WS_ROUTES[id.route]) throw new SandgateError('SG_UPGRADE_REQUIRED', `${id.route} is a WebSocket endpoint`);
      this.persistence.noteRequest(id.tenant, req.headers);
      const route = httpRoute(id.route);
      if (!route) throw new SandgateError('SG_ROUTE_NOT_FOUND', `no route ${id.route}`);
      publishConnection({ type: 'open', kind: 'http' });
      let stats = { bytesIn: 0, bytesOut: 0 };
      try {
        await this.withLease(id.tenant, gone.signal, async (lease) => {
          stats = await forwardHttp(req, res, target(lease.endpoint, route, id.search), this.limits);
          return false;
        });
      } finally {
        publishConnection({ type: 'close', kind: 'http', bytesIn: stats.bytesIn, bytesOut: stats.bytesOut });
      }
    } catch (err) {
      const error = toSandgateError(err);
      publishError({ code: error.code, where: 'http' });
      sendError(res, error);
    }
  }

  /** Graceful drain; safe to call twice. */
  async close(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const budget = this.deps.config.drainTimeout;
    this.deps.logger.info({ websockets: this.sockets.size, http: this.inflight.size, budgetMs: budget }, 'draining');
    this.data.close();
    for (const conn of this.sockets) conn.close(1001, 'gateway shutting down');
    const closed = Promise.all([...[...this.sockets].map((c) => c.closed), ...this.inflight]);
    await Promise.race([closed, new Promise((r) => setTimeout(r, budget).unref())]);
    this.data.closeAllConnections();
    await this.sessions.close();
    await this.deps.backend.close();
    await this.deps.identity.close?.();
    this.metrics.close();
    await new Promise<void>((resolve) => this.management.close(() => resolve()));
    this.management.closeAllConnections();
    this.deps.logger.info('gateway stopped');
  }
}
