/**
 * The sandbox runtime: what runs inside every sandbox (local process, bwrap/gVisor box or pod).
 * Launches one Chromium, serves the Playwright protocol and CDP on one port under an unguessable
 * path prefix, plus /health. The same entrypoint is used everywhere.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFileSync, rmSync, watch } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserServer } from 'playwright-core';
import { forwardHttp, forwardUpgrade, type RelayLimits } from '../relay/index.js';
import { descendants, killRemaining } from '../process/tree.js';
import { BASE_CHROMIUM_ARGS, sandboxArgs } from './chromium.js';
import { exportState, importState, type StoredState } from './state.js';

export interface RuntimeOptions {
  host: string;
  port: number;
  /** Listen on this Unix socket instead of host:port (a sandbox without a network). */
  socketPath?: string | undefined;
  /** Path secret; routes live under `/<secret>/`. Generated when absent. */
  secret?: string | undefined;
  chromiumPath: string;
  chromiumArgs: readonly string[];
  /** Optional MCP server inside the sandbox, forwarded at `/<secret>/mcp`. */
  mcpUrl?: string | undefined;
}

export interface Runtime {
  port: number;
  socketPath: string | undefined;
  basePath: string;
  browserPid: number;
  /** Resolves when the browser exits on its own (crash) with a reason. */
  readonly browserExited: Promise<string>;
  close(): Promise<void>;
}

const RELAY_LIMITS: RelayLimits = { connectTimeoutMs: 10_000, idleTimeoutMs: 0, stripHeaders: [] };

function userDataDir(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const arg = args.find((a) => a.startsWith('--user-data-dir='));
  if (!arg) throw new Error('browser has no --user-data-dir');
  return arg.slice('--user-data-dir='.length);
}

/** Chromium writes `<port>\n<browser ws path>` to DevToolsActivePort once its CDP server listens. */
async function cdpEndpoint(dir: string, timeoutMs: number): Promise<{ port: number; path: string }> {
  const file = join(dir, 'DevToolsActivePort');
  const read = () => {
    try {
      const [port, path] = readFileSync(file, 'utf8').trim().split('\n');
      return port && path ? { port: Number(port), path } : undefined;
    } catch {
      return undefined;
    }
  };
  const now = read();
  if (now) return now;
  return new Promise((resolve, reject) => {
    const watcher = watch(dir, () => {
      const found = read();
      if (found) done(() => resolve(found));
    });
    const timer = setTimeout(() => done(() => reject(new Error('Chromium did not open its CDP port'))), timeoutMs);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      watcher.close();
      fn();
    };
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const MAX_STATE_BYTES = 16 * 1024 * 1024;

/** GET exports the default context's cookies + localStorage; PUT imports them. */
async function handleState(req: IncomingMessage, res: ServerResponse, cdpUrl: string): Promise<void> {
  try {
    if (req.method === 'GET') return json(res, 200, await exportState(cdpUrl));
    if (req.method !== 'PUT') return json(res, 405, { error: { code: 'SG_BAD_REQUEST', message: 'use GET or PUT' } });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_STATE_BYTES) return json(res, 413, { error: { code: 'SG_BAD_REQUEST', message: 'state too large' } });
      chunks.push(chunk);
    }
    const state = JSON.parse(Buffer.concat(chunks).toString('utf8')) as StoredState;
    if (!Array.isArray(state.cookies) || !Array.isArray(state.origins)) throw new Error('expected {cookies: [], origins: []}');
    await importState(cdpUrl, state);
    res.writeHead(204).end();
  } catch (err) {
    json(res, 500, { error: { code: 'SG_INTERNAL', message: (err as Error).message } });
  }
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const basePath = `/${secret}`;
  const isRoot = process.getuid?.() === 0;
  const server: BrowserServer = await chromium.launchServer({
    executablePath: options.chromiumPath,
    headless: true,
    host: '127.0.0.1',
    port: 0,
    wsPath: `/${randomBytes(24).toString('base64url')}`,
    args: [...BASE_CHROMIUM_ARGS, ...sandboxArgs(isRoot), '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', ...options.chromiumArgs],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const browser = server.process();
  const browserPid = browser.pid as number;
  const cdp = await cdpEndpoint(userDataDir(browserPid), 10_000);
  const pw = new URL(server.wsEndpoint());

  let closing = false;
  const browserExited = new Promise<string>((resolve) => {
    browser.once('exit', (code, sig) => resolve(closing ? 'closed' : `browser exited (code ${code}, signal ${sig})`));
  });

  const routes: Record<string, { port: number; path: string }> = {
    '/playwright': { port: Number(pw.port), path: pw.pathname },
    '/cdp': { port: cdp.port, path: cdp.path },
  };
  const mcp = options.mcpUrl ? new URL(options.mcpUrl) : undefined;

  const httpServer = http.createServer({ noDelay: true }, (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname === '/health') return json(res, 200, { status: 'ok', browser: browser.exitCode === null ? 'running' : 'exited' });
    if (!url.pathname.startsWith(basePath + '/')) return json(res, 404, { error: { code: 'SG_ROUTE_NOT_FOUND', message: 'no such route' } });
    const route = url.pathname.slice(basePath.length);
    if (route.startsWith('/json/')) {
      const target = { host: '127.0.0.1', port: cdp.port, path: route + url.search };
      return void forwardHttp(req, res, target, RELAY_LIMITS).catch((err: Error) => json(res, 502, { error: { code: 'SG_UPSTREAM_UNREACHABLE', message: err.message } }));
    }
    if (route === '/state') return void handleState(req, res, `ws://127.0.0.1:${cdp.port}${cdp.path}`);
    if ((route === '/mcp' || route.startsWith('/mcp/')) && mcp) {
      const target = { host: mcp.hostname, port: Number(mcp.port || 80), path: mcp.pathname.replace(/\/$/, '') + route.slice(4) + url.search };
      return void forwardHttp(req, res, target, RELAY_LIMITS).catch((err: Error) => json(res, 502, { error: { code: 'SG_UPSTREAM_UNREACHABLE', message: err.message } }));
    }
    json(res, 404, { error: { code: 'SG_ROUTE_NOT_FOUND', message: 'no such route' } });
  });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const target = url.pathname.startsWith(basePath + '/') ? routes[url.pathname.slice(basePath.length)] : undefined;
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    forwardUpgrade(req, socket, head, { host: '127.0.0.1', port: target.port, path: target.path + url.search }, RELAY_LIMITS).catch(() => {
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    if (options.socketPath) {
      rmSync(options.socketPath, { force: true });
      httpServer.listen(options.socketPath, () => resolve());
    } else httpServer.listen(options.port, options.host, () => resolve());
  });
  const port = options.socketPath ? 0 : (httpServer.address() as AddressInfo).port;

  const close = async () => {
    if (closing) return;
    closing = true;
    httpServer.close();
    httpServer.closeAllConnections();
    const tree = [browserPid, ...descendants(browserPid)];
    const closed = server.close().catch(() => undefined);
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3000).unref())]);
    killRemaining(tree);
  };
  return { port, socketPath: options.socketPath, basePath, browserPid, browserExited, close };
}
