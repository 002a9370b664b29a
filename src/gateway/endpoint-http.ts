/** Small HTTP calls from the gateway to a sandbox runtime (state export/import), over TCP or a Unix socket. */
import http from 'node:http';
import type { Endpoint } from '../backends/types.js';

export function endpointRequest(endpoint: Endpoint, method: 'GET' | 'PUT', route: string, body?: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        ...(endpoint.socketPath ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port }),
        method,
        path: endpoint.basePath + route,
        headers: { ...endpoint.headers, ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`sandbox did not answer ${method} ${route} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
