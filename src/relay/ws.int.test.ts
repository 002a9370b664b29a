/**
 * WebSocket relay on loopback: a real `ws` server upstream, a real front http.Server whose
 * 'upgrade' handler calls forwardUpgrade, and a real `ws` client.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { SandgateError } from '../errors/errors.js';
import { forwardUpgrade, type UpgradeResult } from './ws.js';

type Outcome =
  | { ok: true; result: UpgradeResult }
  | { ok: false; error: unknown; bytesWritten: number; writableEnded: boolean; destroyed: boolean };

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
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

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** A streamed message: seq (u32) + length (u32) + payload of bytes equal to seq & 0xff. */
function streamMessage(seq: number): Buffer {
  const length = 1 + ((seq * 7919) % 150_000);
  const msg = Buffer.alloc(8 + length, seq & 0xff);
  msg.writeUInt32BE(seq, 0);
  msg.writeUInt32BE(length, 4);
  return msg;
}

function smallMessage(seq: number): Buffer {
  const msg = Buffer.alloc(1000, seq & 0xff);
  msg.writeUInt32BE(seq, 0);
  msg.writeUInt32BE(992, 4);
  return msg;
}

function intactStreamMessage(msg: Buffer, expectedSeq: number): string | undefined {
  if (msg.length < 8) return `message ${expectedSeq} too short (${msg.length})`;
  const seq = msg.readUInt32BE(0);
  const length = msg.readUInt32BE(4);
  if (seq !== expectedSeq) return `expected seq ${expectedSeq}, got ${seq}`;
  if (msg.length !== 8 + length) return `message ${seq}: length ${msg.length - 8} != ${length}`;
  for (let i = 8; i < msg.length; i++) if (msg[i] !== (seq & 0xff)) return `message ${seq}: corrupt byte at ${i}`;
  return undefined;
}

/** Checks `predicate` once per event-loop turn (no timers) until it holds. */
async function waitFor(predicate: () => boolean, message: string, turns = 100_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (predicate()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  assert.fail(message);
}

const DENY_BODY = JSON.stringify({ error: { code: 'NOPE', message: 'not for you' } });

describe('forwardUpgrade (loopback)', () => {
  const upstream = http.createServer((_req, res) => res.writeHead(404).end());
  const front = http.createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<Duplex>();
  const upstreamHeaders = new Map<string, IncomingHttpHeaders>();
  const outcomes = new Map<string, ReturnType<typeof deferred<Outcome>>>();
  const frontSockets = new Map<string, Socket>();
  let upstreamPort = 0;
  let closedPort = 0;
  let frontPort = 0;

  const outcomeFor = (path: string) => {
    let d = outcomes.get(path);
    if (!d) outcomes.set(path, (d = deferred<Outcome>()));
    return d;
  };
  const upgraded = async (path: string) => {
    const o = await outcomeFor(path).promise;
    assert.ok(o.ok, `forwardUpgrade rejected: ${o.ok ? '' : String(o.error)}`);
    assert.equal(o.result.kind, 'upgraded');
    if (o.result.kind !== 'upgraded') throw new Error('unreachable');
    return o.result.connection;
  };

  before(async () => {
    for (const server of [upstream, front]) server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });

    upstream.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = req.url ?? '/';
      upstreamHeaders.set(url, req.headers);
      if (url.startsWith('/deny')) {
        socket.end(
          'HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nX-Deny-Reason: policy\r\n' +
            `Content-Length: ${Buffer.byteLength(DENY_BODY)}\r\nConnection: close\r\n\r\n${DENY_BODY}`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    });
    wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
      const url = req.url ?? '/';
      ws.on('error', () => undefined);
      if (url.startsWith('/stream')) {
        const small = url.startsWith('/stream-small');
        let seq = 0;
        const pump = () => {
          if (ws.readyState !== WebSocket.OPEN) return;
          if (small) for (let i = 0; i < 16 && ws.bufferedAmount < 64 * 1024; i++) ws.send(smallMessage(seq++));
          else while (ws.bufferedAmount < 512 * 1024) ws.send(streamMessage(seq++));
          setImmediate(pump);
        };
        pump();
      } else if (url.startsWith('/upstream-closes')) {
        ws.on('message', () => ws.close(4000, 'done'));
      } else {
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      }
    });

    front.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = req.url ?? '/';
      const port = path.startsWith('/unreachable') ? closedPort : upstreamPort;
      const idleTimeoutMs = path.startsWith('/idle') ? 300 : 0;
      const settle = outcomeFor(path).resolve;
      frontSockets.set(path, socket as Socket);
      forwardUpgrade(req, socket, head, { host: '127.0.0.1', port, path }, { connectTimeoutMs: 2000, idleTimeoutMs, stripHeaders: ['x-sandgate-tenant'] }).then(
        (result) => settle({ ok: true, result }),
        (error: unknown) => {
          const s = socket as Socket;
          settle({ ok: false, error, bytesWritten: s.bytesWritten, writableEnded: s.writableEnded, destroyed: s.destroyed });
          if (!s.destroyed) s.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
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
    for (const s of sockets) s.destroy();
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    await Promise.all([closeServer(upstream), closeServer(front)]);
  });

  const connect = (path: string, options: WebSocket.ClientOptions = {}, protocols: string[] = []) =>
    new WebSocket(`ws://127.0.0.1:${frontPort}${path}`, protocols, options);
  const opened = (ws: WebSocket) =>
    new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
  const nextMessage = (ws: WebSocket) =>
    new Promise<{ data: Buffer; isBinary: boolean }>((resolve) => ws.once('message', (data, isBinary) => resolve({ data: toBuffer(data), isBinary })));
  const closedEvent = (ws: WebSocket) =>
    new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const unexpectedResponse = (ws: WebSocket) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('unexpected-response', (req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          req.destroy();
        });
      });
    });

  test('relays text and a 1 MiB binary message both ways; closed resolves with byte counts after the client closes', async () => {
    const ws = connect('/echo');
    await opened(ws);
    const connection = await upgraded('/echo');

    const text = nextMessage(ws);
    ws.send('hello sandbox');
    const t = await text;
    assert.equal(t.isBinary, false);
    assert.equal(t.data.toString('utf8'), 'hello sandbox');

    const big = randomBytes(1024 * 1024);
    const bin = nextMessage(ws);
    ws.send(big);
    const b = await bin;
    assert.equal(b.isBinary, true);
    assert.equal(b.data.length, big.length);
    assert.ok(b.data.equals(big), '1 MiB payload differs after the round trip');

    const closing = closedEvent(ws);
    ws.close(1000, 'done here');
    const c = await closing;
    assert.equal(c.code, 1000);
    assert.equal(c.reason, 'done here');
    const stats = await connection.closed;
    assert.ok(stats.bytesIn > big.length, `bytesIn ${stats.bytesIn}`);
    assert.ok(stats.bytesOut > big.length, `bytesOut ${stats.bytesOut}`);
    assert.match(stats.reason, /^(client|sandbox) closed$/);
  });

  test('closed resolves with byte counts when the upstream closes', async () => {
    const ws = connect('/upstream-closes');
    await opened(ws);
    const connection = await upgraded('/upstream-closes');
    const closing = closedEvent(ws);
    ws.send('please close');
    assert.deepEqual(await closing, { code: 4000, reason: 'done' });
    const stats = await connection.closed;
    assert.ok(stats.bytesIn > 0, `bytesIn ${stats.bytesIn}`);
    assert.ok(stats.bytesOut > 0, `bytesOut ${stats.bytesOut}`);
  });

  test('strips identity and authorization headers, keeps custom ones, relays the negotiated subprotocol', async () => {
    const ws = connect(
      '/headers',
      { headers: { 'x-sandgate-tenant': 'tenant-a', authorization: 'Bearer secret', 'x-custom': 'kept' } },
      ['cdp'],
    );
    await opened(ws);
    await upgraded('/headers');
    const seen = upstreamHeaders.get('/headers');
    assert.ok(seen, 'upstream saw no upgrade request');
    assert.equal(seen['x-sandgate-tenant'], undefined);
    assert.equal(seen.authorization, undefined);
    assert.equal(seen['x-custom'], 'kept');
    assert.equal(seen.host, `127.0.0.1:${upstreamPort}`);
    assert.equal(seen['sec-websocket-protocol'], 'cdp');
    assert.equal(ws.protocol, 'cdp');
    const closing = closedEvent(ws);
    ws.close();
    await closing;
  });

  test('an upstream 403 reaches the client with its status, body and custom header', async () => {
    const ws = connect('/deny');
    const res = await unexpectedResponse(ws);
    assert.equal(res.status, 403);
    assert.equal(res.headers['x-deny-reason'], 'policy');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(res.body), JSON.parse(DENY_BODY));
    const o = await outcomeFor('/deny').promise;
    assert.ok(o.ok);
    assert.deepEqual(o.result, { kind: 'rejected', status: 403 });
  });

  test('an unreachable upstream rejects with SG_UPSTREAM_UNREACHABLE before anything is written to the client', async () => {
    const ws = connect('/unreachable');
    const res = await unexpectedResponse(ws);
    const o = await outcomeFor('/unreachable').promise;
    assert.ok(!o.ok, 'expected a rejection');
    assert.ok(o.error instanceof SandgateError, String(o.error));
    assert.equal(o.error.code, 'SG_UPSTREAM_UNREACHABLE');
    assert.equal(o.bytesWritten, 0);
    assert.equal(o.writableEnded, false);
    assert.equal(o.destroyed, false);
    // The caller could still answer (or retry): the client got the front's own 502.
    assert.equal(res.status, 502);
  });

  test('close(1001) reaches the client at a frame boundary while the upstream streams', async () => {
    const ws = connect('/stream');
    const errors: Error[] = [];
    ws.on('error', (e) => errors.push(e));
    const problems: string[] = [];
    let received = 0;
    const enough = deferred<void>();
    ws.on('message', (data) => {
      const problem = intactStreamMessage(toBuffer(data), received++);
      if (problem) problems.push(problem);
      if (received === 40) enough.resolve();
    });
    const closing = closedEvent(ws);
    await opened(ws);
    const connection = await upgraded('/stream');
    await enough.promise;
    connection.close(1001, 'bye');
    const c = await closing;
    assert.deepEqual(errors, []);
    assert.deepEqual(problems, []);
    assert.deepEqual(c, { code: 1001, reason: 'bye' });
    assert.ok(received >= 40);
    const stats = await connection.closed;
    assert.equal(stats.reason, 'bye');
    assert.ok(stats.bytesOut > 0);
  });

  // Large messages: the close usually lands mid-frame. Small, paced messages: the relay has read whole
  // frames, so the close lands on a boundary while the socket to the client still holds a backlog.
  for (const [path, shape] of [
    ['/stream-slow', 'large messages'],
    ['/stream-small-slow', 'small messages'],
  ] as const) {
    test(`close(1001) reaches a slow client after its backlog, frames intact (${shape})`, async () => {
      const ws = connect(path);
      const errors: Error[] = [];
      ws.on('error', (e) => errors.push(e));
      const problems: string[] = [];
      let received = 0;
      const enough = deferred<void>();
      ws.on('message', (data) => {
        const problem = intactStreamMessage(toBuffer(data), received++);
        if (problem) problems.push(problem);
        if (received === 10) enough.resolve();
      });
      const closing = closedEvent(ws);
      await opened(ws);
      const connection = await upgraded(path);
      const relaySide = frontSockets.get(path);
      assert.ok(relaySide);
      await enough.promise;
      // Stop reading until the relay's socket to the client is backed up, then close.
      ws.pause();
      await waitFor(() => relaySide.writableNeedDrain, 'relay socket to the client never backed up');
      const backlog = relaySide.writableLength;
      const receivedBeforeClose = received;
      connection.close(1001, 'bye');
      ws.resume();
      const c = await closing;
      assert.deepEqual(errors, []);
      assert.deepEqual(problems, []);
      assert.deepEqual(c, { code: 1001, reason: 'bye' });
      assert.ok(received > receivedBeforeClose, `the ${backlog} buffered bytes were not delivered before the close`);
      assert.equal((await connection.closed).reason, 'bye');
    });
  }

  test('idle timeout closes with 1001 "idle timeout"', async () => {
    const ws = connect('/idle');
    await opened(ws);
    const connection = await upgraded('/idle');
    const echoed = nextMessage(ws);
    ws.send('ping');
    assert.equal((await echoed).data.toString(), 'ping');
    const lastActivity = Date.now();
    const c = await closedEvent(ws);
    assert.deepEqual(c, { code: 1001, reason: 'idle timeout' });
    assert.ok(Date.now() - lastActivity >= 250, `closed after ${Date.now() - lastActivity} ms`);
    const stats = await connection.closed;
    assert.equal(stats.reason, 'idle timeout');
    assert.ok(stats.bytesIn > 0 && stats.bytesOut > 0);
  });
});
