/** Exposes a Unix-socket endpoint on a loopback TCP port, so TCP-only clients (Playwright) can reach it. */
import type { Endpoint } from '../backends/types.js';
import { tcpForward } from './tcp-forward.js';

export async function tcpEndpoint(endpoint: Endpoint): Promise<{ url: string; close(): Promise<void> }> {
  const base = (host: string, port: number) => `ws://${host}:${port}${endpoint.basePath}`;
  if (!endpoint.socketPath) return { url: base(endpoint.host, endpoint.port), close: async () => undefined };
  const forward = await tcpForward({ path: endpoint.socketPath });
  return { url: base('127.0.0.1', forward.port), close: forward.close };
}
