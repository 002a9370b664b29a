/**
 * WebSocket relay: forwards the client's upgrade to the upstream, answers the client with the
 * upstream's real response (101 or not), then pipes bytes both ways with backpressure.
 */
import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { SandgateError } from '../errors/errors.js';
import { forwardHeaders, responseHeaders } from './headers.js';
import { connectOptions, hostHeader, isRouterAnswer, routerError, type RelayLimits, type RelayTarget } from './target.js';
import { FrameBoundaryTracker, closeFrame } from './ws-frames.js';

const MAX_REJECTION_BODY = 64 * 1024;
const CLOSE_FLUSH_MS = 1000;

export interface WsConnection {
  /** Sends a close frame to the client (at a frame boundary) and tears both sides down. */
  close(code: number, reason: string): void;
  /** Resolves when both sides are closed, with byte counts seen on the client socket. */
  readonly closed: Promise<{ bytesIn: number; bytesOut: number; reason: string }>;
}

export type UpgradeResult = { kind: 'upgraded'; connection: WsConnection } | { kind: 'rejected'; status: number };

function isNetworkError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'EPIPE' || code === 'ENOTFOUND';
}

function headBlock(statusLine: string, headers: Array<[string, string]>): string {
  return statusLine + '\r\n' + headers.map(([k, v]) => `${k}: ${v}`).join('\r\n') + '\r\n\r\n';
}

/**
 * Throws SG_UPSTREAM_UNREACHABLE (nothing was written to the client: the caller may re-ensure
 * and try again) or SG_UPSTREAM_TIMEOUT.
 */
export function forwardUpgrade(
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
  target: RelayTarget,
  limits: RelayLimits,
): Promise<UpgradeResult> {
  return new Promise((resolve, reject) => {
    const upstreamReq = http.request({
      ...connectOptions(target),
      path: target.path,
      method: 'GET',
      agent: false,
      headers: forwardHeaders(req.headers, { strip: limits.stripHeaders, extra: target.headers, upgrade: true, host: hostHeader(target) }),
    });
    const timer = setTimeout(() => {
      upstreamReq.destroy(new SandgateError('SG_UPSTREAM_TIMEOUT', `sandbox did not answer the upgrade within ${limits.connectTimeoutMs} ms`));
    }, limits.connectTimeoutMs);
    const onClientGone = () => upstreamReq.destroy();
    client.once('close', onClientGone);
    const settle = () => {
      clearTimeout(timer);
      client.off('close', onClientGone);
    };

    upstreamReq.on('error', (err) => {
      settle();
      if (err instanceof SandgateError) reject(err);
      else if (isNetworkError(err)) reject(new SandgateError('SG_UPSTREAM_UNREACHABLE', `sandbox endpoint unreachable: ${err.message}`, { cause: err }));
      else reject(new SandgateError('SG_UPSTREAM_UNREACHABLE', err.message, { cause: err }));
    });

    upstreamReq.on('response', (res) => {
      // The sandbox refused the upgrade: relay its answer as is (status, headers, body).
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_REJECTION_BODY) chunks.push(c);
      });
      res.on('end', () => {
        settle();
        const body = Buffer.concat(chunks);
        // A router's own failure (not the sandbox's answer): nothing was written, the caller decides.
        const status = res.statusCode ?? 0;
        if (isRouterAnswer(target, status, res.headers['content-type'])) return reject(routerError(status, body.toString('utf8')));
        const headers = responseHeaders(res.rawHeaders, false);
        headers.push(['Content-Length', String(body.length)], ['Connection', 'close']);
        client.end(Buffer.concat([Buffer.from(headBlock(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`, headers)), body]));
        resolve({ kind: 'rejected', status: res.statusCode ?? 502 });
      });
      res.on('error', () => {
        settle();
        client.destroy();
        resolve({ kind: 'rejected', status: 502 });
      });
    });

    upstreamReq.on('upgrade', (res, upstream: Socket, upstreamHead: Buffer) => {
      settle();
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      client.write(headBlock(`HTTP/1.1 101 ${res.statusMessage || 'Switching Protocols'}`, responseHeaders(res.rawHeaders, true)));
      resolve({ kind: 'upgraded', connection: pipeWebSocket(client as Socket, upstream, head, upstreamHead, limits.idleTimeoutMs) });
    });
    upstreamReq.end();
  });
}

function pipeWebSocket(client: Socket, upstream: Socket, clientHead: Buffer, upstreamHead: Buffer, idleMs: number): WsConnection {
  const tracker = new FrameBoundaryTracker();
  let pendingClose: Buffer | undefined;
  let closeReason = 'closed';
  let resolveClosed!: (v: { bytesIn: number; bytesOut: number; reason: string }) => void;
  const closed = new Promise<{ bytesIn: number; bytesOut: number; reason: string }>((r) => (resolveClosed = r));
  let bytesIn = clientHead.length;
  let bytesOut = 0;

  let flushing = false;
  const finish = (frame: Buffer) => {
    if (flushing) return;
    flushing = true;
    upstream.destroy();
    client.end(frame);
    setTimeout(() => client.destroy(), CLOSE_FLUSH_MS).unref();
  };
  const toClient = (chunk: Buffer) => {
    if (pendingClose) {
      const upTo = tracker.consume(chunk, true);
      if (upTo > 0) client.write(chunk.subarray(0, upTo));
      bytesOut += upTo;
      if (tracker.atBoundary) finish(pendingClose);
      return;
    }
    tracker.consume(chunk);
    bytesOut += chunk.length;
    if (!client.write(chunk)) upstream.pause();
  };
  const toUpstream = (chunk: Buffer) => {
    bytesIn += chunk.length;
    if (!upstream.write(chunk)) client.pause();
  };

  client.setNoDelay(true);
  upstream.setNoDelay(true);
  if (upstreamHead.length > 0) toClient(upstreamHead);
  if (clientHead.length > 0) upstream.write(clientHead);
  upstream.on('data', toClient);
  client.on('data', toUpstream);
  client.on('drain', () => upstream.resume());
  upstream.on('drain', () => client.resume());

  const close = (code: number, reason: string) => {
    if (pendingClose || client.destroyed) return;
    closeReason = reason;
    pendingClose = closeFrame(code, reason);
    if (tracker.atBoundary) finish(pendingClose);
    else {
      // The upstream stalled mid-frame: a close frame now would corrupt the stream, so cut both.
      setTimeout(() => {
        if (flushing) return;
        client.destroy();
        upstream.destroy();
      }, CLOSE_FLUSH_MS).unref();
    }
  };
  if (idleMs > 0) {
    client.setTimeout(idleMs);
    client.on('timeout', () => close(1001, 'idle timeout'));
  }
  let ended = 0;
  const onEnd = (who: string) => () => {
    if (ended++ === 0 && !pendingClose) closeReason = `${who} closed`;
    // While our close frame is flushing (behind messages a slow client has not read yet), the
    // upstream going away must not cut it off; `finish` destroys the client after CLOSE_FLUSH_MS.
    if (!flushing) client.destroy();
    upstream.destroy();
    if (client.destroyed && upstream.destroyed) resolveClosed({ bytesIn, bytesOut, reason: closeReason });
  };
  client.on('close', onEnd('client'));
  upstream.on('close', onEnd('sandbox'));
  client.on('error', () => client.destroy());
  upstream.on('error', () => upstream.destroy());
  return { close, closed };
}
