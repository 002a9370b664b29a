/**
 * Host side of a gVisor sandbox: a WebSocket server on loopback that serves `connectOverCDP` from
 * the sandbox's CDP pipe. One client at a time; when it leaves, its CDP sessions are detached and
 * auto-attach/discovery are switched off, so the next client finds the pages as a fresh client would.
 * The pipe can be swapped (after a restore) while the server keeps its port and secret path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CdpPipe } from './cdp-pipe.js';

function refuse(socket: NodeJS.WritableStream & { destroy(): void }, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json\r\nx-sandgate-error: ${code}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export class CdpBridge {
  private readonly server = http.createServer((_req, res) => res.writeHead(404).end());
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 });
  private client: WebSocket | undefined;
  private pipe: CdpPipe | undefined;
  private readonly sessions = new Set<string>();
  port = 0;

  constructor(readonly basePath: string) {
    this.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://bridge').pathname;
      if (path === `${basePath}/playwright`) {
        return refuse(socket, 501, 'SG_PROTOCOL_UNSUPPORTED', 'local-gvisor serves CDP only (connectOverCDP / Puppeteer at /cdp): its browser speaks CDP over a pipe so that it can be checkpointed');
      }
      if (path !== `${basePath}/cdp`) return refuse(socket, 404, 'SG_ROUTE_NOT_FOUND', 'no such route');
      if (this.client) return refuse(socket, 409, 'SG_TENANT_CONN_LIMIT', 'local-gvisor serves one CDP client at a time');
      if (!this.pipe) return refuse(socket, 503, 'SG_SANDBOX_SUSPENDED', 'sandbox is not running');
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** Connects the bridge to a (new) browser pipe. */
  attach(pipe: CdpPipe): void {
    this.pipe = pipe;
    this.sessions.clear();
    pipe.onMessage((raw, msg) => {
      if (msg.method === 'Target.attachedToTarget') {
        const id = (msg.params?.sessionInfo as { sessionId?: string } | undefined)?.sessionId ?? (msg.params?.sessionId as string | undefined);
        if (id) this.sessions.add(id);
      } else if (msg.method === 'Target.detachedFromTarget' && typeof msg.params?.sessionId === 'string') {
        this.sessions.delete(msg.params.sessionId);
      }
      this.client?.send(raw);
    });
  }

  /**
   * Stops serving the current pipe (before a checkpoint): the client, if any, is closed with 1001 and
   * its sessions are detached first, so that the restored browser greets the next client cleanly.
   */
  async detach(reason: string): Promise<void> {
    const pipe = this.pipe;
    this.pipe = undefined;
    this.client?.close(1001, reason);
    this.client = undefined;
    if (pipe) await this.reset(pipe);
    pipe?.onMessage(undefined);
  }

  private accept(ws: WebSocket): void {
    this.client = ws;
    const pipe = this.pipe;
    ws.on('message', (data) => pipe?.sendRaw(data.toString()));
    ws.on('close', () => {
      if (this.client !== ws) return;
      this.client = undefined;
      if (pipe && this.pipe === pipe) void this.reset(pipe);
    });
  }

  /** Leaves the browser as a fresh client expects it: no attached sessions, no auto-attach. */
  private async reset(pipe: CdpPipe): Promise<void> {
    const sessions = [...this.sessions];
    this.sessions.clear();
    await Promise.allSettled([
      ...sessions.map((sessionId) => pipe.call('Target.detachFromTarget', { sessionId })),
      pipe.call('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false, flatten: true }),
      pipe.call('Target.setDiscoverTargets', { discover: false }),
    ]);
  }

  close(): void {
    void this.detach('sandbox closed');
    this.server.close();
    this.server.closeAllConnections();
  }
}
