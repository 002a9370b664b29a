/**
 * A fake atenet-router: HTTP + WebSocket proxy on loopback that routes by
 * `Host: <actor>.<atespace>.actors.resources.substrate.ate.dev` (older shape: `<actor>.actors…`) to the
 * actor's port 80, resuming a suspended actor itself. Its own answers follow upstream: 404 for an
 * invalid host or unknown actor, 503 when a resume fails for a precondition (no free worker), 429 for
 * ResourceExhausted, 504 when the actor does not answer within the route timeout (10 s upstream),
 * 502 when the actor is suspended or paused while a request is in flight.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiFailure, type FakeActor } from './actors.js';
import type { FakeControlPlane } from './control-plane.js';

const DOMAIN = '.actors.resources.substrate.ate.dev';
const RESUME_STATUS: Record<string, number> = { NOT_FOUND: 404, FAILED_PRECONDITION: 503, RESOURCE_EXHAUSTED: 429, ABORTED: 503 };

class Refusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class FakeRouter {
  /** Answers the router gave itself, by status. */
  readonly answered = new Map<number, number>();
  private readonly server: http.Server;
  private readonly inflight = new Map<FakeActor, Set<() => void>>();
  port = 0;

  constructor(private readonly cp: FakeControlPlane, private readonly routeTimeoutMs = 10_000) {
    this.server = http.createServer((req, res) => void this.http(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head));
    cp.store.on('interrupt', (a: FakeActor) => {
      for (const cut of this.inflight.get(a) ?? []) cut();
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private parse(host: string): { atespace: string; name: string } {
    const bare = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    if (!bare.endsWith(DOMAIN)) throw new Refusal(404, `invalid host "${host}": invalid actor DNS name: must end with ${DOMAIN.slice(1)}`);
    const labels = bare.slice(0, -DOMAIN.length).split('.');
    const want = this.cp.options.api === 'actor-ref' ? 2 : 1;
    if (labels.length !== want || labels.some((l) => !l)) throw new Refusal(404, `invalid host "${host}"`);
    return { name: labels[0] as string, atespace: labels[1] ?? '' };
  }

  /** The actor, RUNNING (resumed by the router itself when needed). */
  private async running(host: string): Promise<FakeActor> {
    const { atespace, name } = this.parse(host);
    const deadline = Date.now() + this.routeTimeoutMs;
    for (;;) {
      const a = this.cp.actor(atespace, name);
      if (!a) throw new Refusal(404, `actor "${name}" not found`);
      if (a.status === 'RUNNING') return a;
      if (Date.now() > deadline) throw new Refusal(504, 'upstream request timeout');
      if (a.status === 'SUSPENDED' || a.status === 'PAUSED' || a.status === 'CRASHED') {
        try {
          return await this.cp.store.resume(a, false);
        } catch (err) {
          if (!(err instanceof ApiFailure)) throw err;
          if (err.code !== 'ABORTED') throw new Refusal(RESUME_STATUS[err.code] ?? 500, RESUME_STATUS[err.code] ? `actor "${name}" unavailable: ${err.message}` : `error resuming actor "${name}"`);
        }
      }
      await sleep(25);
    }
  }

  private refuse(err: unknown): { status: number; body: string } {
    const status = err instanceof Refusal ? err.status : 500;
    this.answered.set(status, (this.answered.get(status) ?? 0) + 1);
    return { status, body: err instanceof Error ? err.message : String(err) };
  }

  /** Tracks one in-flight exchange with the actor; `cut` runs if the actor is suspended meanwhile. */
  private track(a: FakeActor, cut: () => void): () => void {
    const set = this.inflight.get(a) ?? new Set();
    set.add(cut);
    this.inflight.set(a, set);
    return () => set.delete(cut);
  }

  private async http(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fail = (err: unknown) => {
      if (res.headersSent) return void res.destroy();
      const { status, body } = this.refuse(err);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    };
    let a: FakeActor;
    try {
      a = await this.running(req.headers.host ?? '');
    } catch (err) {
      return fail(err);
    }
    const up = http.request({ host: a.ip, port: 80, method: req.method, path: req.url, headers: req.headers, agent: false });
    const timer = setTimeout(() => up.destroy(new Refusal(504, 'upstream request timeout')), this.routeTimeoutMs);
    const untrack = this.track(a, () => up.destroy(new Refusal(502, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination')));
    up.on('response', (r) => {
      clearTimeout(timer);
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
      r.on('end', untrack);
    });
    up.on('error', (err) => {
      clearTimeout(timer);
      untrack();
      fail(err instanceof Refusal ? err : new Refusal(503, `upstream connect error: ${err.message}`));
    });
    req.pipe(up);
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const fail = (err: unknown) => {
      const { status, body } = this.refuse(err);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    };
    let a: FakeActor;
    try {
      a = await this.running(req.headers.host ?? '');
    } catch (err) {
      return fail(err);
    }
    const up = http.request({ host: a.ip, port: 80, method: 'GET', path: req.url, headers: req.headers, agent: false });
    const timer = setTimeout(() => up.destroy(new Refusal(504, 'upstream request timeout')), this.routeTimeoutMs);
    let upgraded: Duplex | undefined;
    const untrack = this.track(a, () => {
      if (upgraded) {
        upgraded.destroy();
        socket.destroy();
      } else up.destroy(new Refusal(502, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination'));
    });
    socket.on('close', untrack);
    up.on('upgrade', (r, upstream: Duplex, upHead: Buffer) => {
      clearTimeout(timer);
      upgraded = upstream;
      const lines = [`HTTP/1.1 101 Switching Protocols`];
      for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) lines.push(`${r.rawHeaders[i]}: ${r.rawHeaders[i + 1]}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n');
      if (upHead.length) socket.write(upHead);
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
      upstream.on('close', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('error', () => upstream.destroy());
    });
    up.on('response', (r) => {
      clearTimeout(timer);
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        const body = Buffer.concat(chunks);
        const lines = [`HTTP/1.1 ${r.statusCode} ${r.statusMessage}`];
        for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) if (!/^(content-length|connection|transfer-encoding)$/i.test(r.rawHeaders[i] as string)) lines.push(`${r.rawHeaders[i]}: ${r.rawHeaders[i + 1]}`);
        socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`), body]));
      });
    });
    up.on('error', (err) => {
      clearTimeout(timer);
      untrack();
      fail(err instanceof Refusal ? err : new Refusal(503, `upstream connect error: ${err.message}`));
    });
    up.end();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
