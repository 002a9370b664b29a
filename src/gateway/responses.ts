/** Writing typed errors to callers: JSON bodies over HTTP, raw HTTP answers on an un-upgraded socket. */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SandgateError } from '../errors/errors.js';

function errorHeaders(err: SandgateError, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-sandgate-error': err.code,
    ...(err.retryAfter !== undefined ? { 'retry-after': String(err.retryAfter) } : {}),
  };
}

export function sendError(res: ServerResponse, err: SandgateError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(err.toJSON());
  res.writeHead(err.status, errorHeaders(err, body));
  res.end(body);
}

/** Answers a failed WebSocket handshake with a plain HTTP response and closes the socket. */
export function rejectUpgrade(socket: Duplex, err: SandgateError): void {
  if (socket.destroyed || !socket.writable) return;
  const body = JSON.stringify(err.toJSON());
  const headers = { ...errorHeaders(err, body), connection: 'close' };
  const head = `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}\r\n` + Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`);
}
