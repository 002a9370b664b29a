/** HTTP relay on loopback: a real upstream http.Server, a front http.Server calling forwardHttp, a real client. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SandgateError } from '../errors/errors.js';
import { forwardHttp, type HttpRelayResult } from './http.js';
import type { RelayLimits } from './target.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the front saw when forwardHttp settled: its result, or its error plus the state of the response. */
type Outcome =
  | { ok: true; result: HttpRelayResult }
  | { ok: false; error: unknown; headersSent: boolean; writableEnded: boolean; bodyConsumed: boolean; socketBytesWritten: number };

interface ClientResponse {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

describe('forwardHttp (loopback)', () => {
  const upstream = http.createServer();
  const front = http.createServer();
  const sockets = new Set<Socket>();
  const seen = new Map<string, Seen>();
  const outcomes = new Map<string, Deferred<Outcome>>();
  const sseAcks = new Map<number, Deferred<void>>();
  const hanging = new Set<ServerResponse>();
  let upstreamPort = 0;
  let closedPort = 0;
  let frontPort = 0;

  const once = <K, T>(map: Map<K, Deferred<T>>, key: K): Deferred<T> => {
    let d = map.get(key);
    if (!d) map.set(key, (d = deferred<T>()));
    return d;
  };

  before(async () => {
    for (const server of [upstream, front]) {
      server.on('connection', (s: Socket) => {
        sockets.add(s);
        s.once('close', () => sockets.delete(s));
      });
    }

    upstream.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '/';
      if (url.startsWith('/hang')) {
        hanging.add(res);
        return;
      }
      if (url.startsWith('/sse')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('data: one\n\n');
        void (async () => {
          await once(sseAcks, 1).promise;
          res.write('data: two\n\n');
          await once(sseAcks, 2).promise;
          res.end('data: three\n\n');
        })();
        return;
      }
      void readBody(req).then((body) => {
        seen.set(url, { method: req.method ?? '', url, headers: req.headers, body });
        if (url.startsWith('/echo')) {
          res.writeHead(201, 'Created', [
            ['Content-Type', 'application/octet-stream'],
            ['X-Upstream', 'yes'],
            ['Set-Cookie', 'a=1'],
            ['Set-Cookie', 'b=2'],
            ['Keep-Alive', 'timeout=99'],
          ].flat());
          res.end(body);
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(req.headers));
        }
      });
    });

    front.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const path = req.url ?? '/';
      const port = path.startsWith('/unreachable') ? closedPort : upstreamPort;
      const limits: RelayLimits = { connectTimeoutMs: path.startsWith('/hang') ? 150 : 2000, idleTimeoutMs: 0, stripHeaders: ['x-sandgate-tenant'] };
      const settle = once(outcomes, path).resolve;
      forwardHttp(req, res, { host: '127.0.0.1', port, path }, limits).then(
        (result) => settle({ ok: true, result }),
        (error: unknown) => {
          settle({
            ok: false,
            error,
            headersSent: res.headersSent,
            writableEnded: res.writableEnded,
            bodyConsumed: req.readableEnded || req.readableFlowing === true,
            socketBytesWritten: res.socket?.bytesWritten ?? -1,
          });
          // The request body is still unread: a caller can retry it against a fresh endpoint.
          const retry = forwardHttp(req, res, { host: '127.0.0.1', port: upstreamPort, path: '/echo-retry' }, { ...limits, connectTimeoutMs: 2000 });
          retry.catch(() => res.writeHead(502).end());
        },
      );
    });

    upstreamPort = await listen(upstream);
    frontPort = await listen(front);
    const probe = http.createServer();
    closedPort = await listen(probe);
    await closeServer(probe);
  });

  after(async () => {
    for (const res of hanging) res.destroy();
    for (const s of sockets) s.destroy();
    await Promise.all([closeServer(upstream), closeServer(front)]);
  });

  const request = (path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) =>
    new Promise<ClientResponse>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: frontPort, path, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
        readBody(res).then(
          (body) => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body }),
          reject,
        );
      });
      req.on('error', reject);
      req.end(options.body);
    });

  test('a POST body arrives intact; status, headers and body are relayed back', async () => {
    const body = randomBytes(256 * 1024);
    const res = await request('/echo?x=1', { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) }, body });
    const up = seen.get('/echo?x=1');
    assert.ok(up, 'upstream saw no request');
    assert.equal(up.method, 'POST');
    assert.ok(up.body.equals(body), `upstream got ${up.body.length} bytes, expected ${body.length}`);
    assert.equal(res.status, 201);
    assert.equal(res.statusMessage, 'Created');
    assert.equal(res.headers['x-upstream'], 'yes');
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
    assert.notEqual(res.headers['keep-alive'], 'timeout=99', 'a hop-by-hop response header was relayed');
    assert.ok(res.body.equals(body), 'response body differs');
    const o = await once(outcomes, '/echo?x=1').promise;
    assert.ok(o.ok);
    assert.deepEqual(o.result, { status: 201, bytesIn: body.length, bytesOut: body.length });
  });

  test('hop-by-hop and identity headers are not forwarded; others are', async () => {
    const res = await request('/headers', {
      headers: {
        Connection: 'keep-alive, X-Hop',
        'X-Hop': 'listed in Connection',
        'Keep-Alive': 'timeout=5',
        'Transfer-Encoding': 'chunked',
        TE: 'trailers',
        'Proxy-Authorization': 'Basic Zm9vOmJhcg==',
        Authorization: 'Bearer secret',
        'X-Sandgate-Tenant': 'tenant-a',
        'X-Custom': 'kept',
      },
    });
    assert.equal(res.status, 200);
    const headers = JSON.parse(res.body.toString('utf8')) as Record<string, string>;
    for (const name of ['x-hop', 'keep-alive', 'transfer-encoding', 'te', 'proxy-authorization', 'authorization', 'x-sandgate-tenant']) {
      assert.equal(headers[name], undefined, `${name} was forwarded`);
    }
    assert.doesNotMatch(headers.connection ?? '', /x-hop/i);
    assert.equal(headers['x-custom'], 'kept');
    assert.equal(headers.host, `127.0.0.1:${upstreamPort}`);
  });

  test('a chunked body is re-framed, not dropped, for methods Node does not chunk by default', async () => {
    for (const method of ['DELETE', 'POST']) {
      const path = `/echo-chunked-${method.toLowerCase()}`;
      const res = await new Promise<ClientResponse>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: frontPort, path, method, headers: { 'transfer-encoding': 'chunked' }, agent: false }, (r) => {
          readBody(r).then((body) => resolve({ status: r.statusCode ?? 0, statusMessage: r.statusMessage ?? '', headers: r.headers, body }), reject);
        });
        req.on('error', reject);
        req.write('hello ');
        req.end('world');
      });
      assert.equal(res.status, 201, `${method}: upstream answered ${res.status}`);
      assert.equal(seen.get(path)?.body.toString(), 'hello world', method);
      assert.equal(res.body.toString(), 'hello world', method);
    }
  });

  test('SSE is streamed unbuffered: each event reaches the client before the next is sent', { timeout: 4_000 }, async () => {
    const events: string[] = [];
    const waiters = new Map<number, Deferred<void>>();
    const received = (n: number) => once(waiters, n).promise;
    const done = deferred<{ status: number; type: string | undefined }>();
    const req = http.get({ host: '127.0.0.1', port: frontPort, path: '/sse', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          events.push(text.slice(0, end));
          text = text.slice(end + 2);
          once(waiters, events.length).resolve();
        }
      });
      res.on('end', () => done.resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] }));
    });
    req.on('error', (err) => assert.fail(err));
    await received(1);
    assert.deepEqual(events, ['data: one']);
    once(sseAcks, 1).resolve();
    await received(2);
    assert.deepEqual(events, ['data: one', 'data: two']);
    once(sseAcks, 2).resolve();
    const res = await done.promise;
    assert.deepEqual(events, ['data: one', 'data: two', 'data: three']);
    assert.deepEqual(res, { status: 200, type: 'text/event-stream' });
  });

  test('an unreachable upstream rejects with SG_UPSTREAM_UNREACHABLE before anything is written; the body can be retried', async () => {
    const body = Buffer.from('{"method":"Target.createTarget"}');
    const res = await request('/unreachable', { method: 'POST', headers: { 'content-length': String(body.length) }, body });
    const o = await once(outcomes, '/unreachable').promise;
    assert.ok(!o.ok, 'expected a rejection');
    assert.ok(o.error instanceof SandgateError, String(o.error));
    assert.equal(o.error.code, 'SG_UPSTREAM_UNREACHABLE');
    assert.equal(o.headersSent, false);
    assert.equal(o.writableEnded, false);
    assert.equal(o.socketBytesWritten, 0);
    assert.equal(o.bodyConsumed, false);
    // The retry against a live upstream got the whole body and answered the client.
    assert.ok(seen.get('/echo-retry')?.body.equals(body), 'retried body did not arrive intact');
    assert.equal(res.status, 201);
    assert.ok(res.body.equals(body));
  });

  test('an upstream that never answers rejects with SG_UPSTREAM_TIMEOUT before anything is written', async () => {
    const started = Date.now();
    const res = await request('/hang');
    const o = await once(outcomes, '/hang').promise;
    assert.ok(!o.ok, 'expected a rejection');
    assert.ok(o.error instanceof SandgateError, String(o.error));
    assert.equal(o.error.code, 'SG_UPSTREAM_TIMEOUT');
    assert.equal(o.error.status, 504);
    assert.equal(o.headersSent, false);
    assert.equal(o.socketBytesWritten, 0);
    assert.ok(Date.now() - started >= 140, 'timed out before connectTimeoutMs');
    assert.equal(hanging.size, 1, 'the upstream did receive the request');
    assert.equal(res.status, 201, 'the front could still answer');
  });
});
