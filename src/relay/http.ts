/** HTTP relay: forwards a request and streams the response back unbuffered (SSE, MCP streaming). */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { SandgateError } from '../errors/errors.js';
import { forwardHeaders, responseHeaders } from './headers.js';
import { connectOptions, hostHeader, isRouterAnswer, routerError, type RelayLimits, type RelayTarget } from './target.js';

export interface HttpRelayResult {
  status: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Resolves when the response has been fully sent (or the client left). Rejects with
 * SG_UPSTREAM_UNREACHABLE / SG_UPSTREAM_TIMEOUT only while nothing has been sent to the client,
 * so the caller can re-ensure and retry a request whose body was not consumed yet.
 */
export function forwardHttp(req: IncomingMessage, res: ServerResponse, target: RelayTarget, limits: RelayLimits): Promise<HttpRelayResult> {
  return new Promise((resolve, reject) => {
    let bytesIn = 0;
    let bytesOut = 0;
    const upstreamReq = http.request({
      ...connectOptions(target),
      path: target.path,
      method: req.method,
      agent: false,
      headers: forwardHeaders(req.headers, { strip: limits.stripHeaders, extra: target.headers, upgrade: false, host: hostHeader(target) }),
    });
    const timer = setTimeout(() => {
      upstreamReq.destroy(new SandgateError('SG_UPSTREAM_TIMEOUT', `sandbox did not answer within ${limits.connectTimeoutMs} ms`));
    }, limits.connectTimeoutMs);
    res.on('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
    upstreamReq.on('error', (err) => {
      clearTimeout(timer);
      if (res.headersSent) {
        res.destroy();
        resolve({ status: res.statusCode, bytesIn, bytesOut });
      } else if (err instanceof SandgateError) reject(err);
      else reject(new SandgateError('SG_UPSTREAM_UNREACHABLE', `sandbox endpoint unreachable: ${err.message}`, { cause: err }));
    });
    upstreamReq.on('response', (upstreamRes) => {
      clearTimeout(timer);
      const status = upstreamRes.statusCode ?? 0;
      if (isRouterAnswer(target, status, upstreamRes.headers['content-type'])) {
        // A router's own failure: answered as a typed error (retried only if the body is untouched).
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (c: Buffer) => chunks.length < 16 && chunks.push(c));
        upstreamRes.on('end', () => {
          const routed = routerError(status, Buffer.concat(chunks).toString('utf8'));
          reject(bytesIn > 0 && routed.code === 'SG_UPSTREAM_UNREACHABLE' ? new SandgateError('SG_SANDBOX_DIED', `${routed.message} (request body already sent)`, { detail: routed.detail ?? {} }) : routed);
        });
        return;
      }
      const headers = responseHeaders(upstreamRes.rawHeaders, false);
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, headers.flat());
      res.flushHeaders();
      upstreamRes.on('data', (chunk: Buffer) => {
        bytesOut += chunk.length;
        if (!res.write(chunk)) upstreamRes.pause();
      });
      res.on('drain', () => upstreamRes.resume());
      upstreamRes.on('end', () => {
        res.end();
        resolve({ status: upstreamRes.statusCode ?? 502, bytesIn, bytesOut });
      });
      upstreamRes.on('error', () => {
        res.destroy();
        resolve({ status: upstreamRes.statusCode ?? 502, bytesIn, bytesOut });
      });
      if (limits.idleTimeoutMs > 0) upstreamRes.socket.setTimeout(limits.idleTimeoutMs, () => upstreamReq.destroy());
    });
    // The body is read only once the upstream accepted the connection, so a refused connection
    // leaves it unconsumed and the caller can retry against a new endpoint.
    upstreamReq.on('socket', (socket) => {
      socket.setNoDelay(true);
      const pump = () => {
        req.on('data', (chunk: Buffer) => {
          // The caller's Transfer-Encoding was stripped as hop-by-hop; Node frames a body of unknown
          // length itself only for POST/PUT/PATCH, so a DELETE/OPTIONS/GET body would go out unframed.
          if (!upstreamReq.headersSent && upstreamReq.getHeader('content-length') === undefined) upstreamReq.setHeader('transfer-encoding', 'chunked');
          bytesIn += chunk.length;
          if (!upstreamReq.write(chunk)) req.pause();
        });
        upstreamReq.on('drain', () => req.resume());
        req.on('end', () => upstreamReq.end());
        if (req.readableEnded) upstreamReq.end();
      };
      if (socket.connecting) socket.once('connect', pump);
      else pump();
    });
  });
}
