/** Exposes a Unix-socket endpoint on a loopback TCP port, so TCP-only clients (Playwright) can reach it. */
import net from 'node:net';
import type { Endpoint } from '../backends/types.js';

export async function tcpEndpoint(endpoint: Endpoint): Promise<{ url: string; close(): void }> {
  const base = (host: string, port: number) => `ws://${host}:${port}${endpoint.basePath}`;
  if (!endpoint.socketPath) return { url: base(endpoint.host, endpoint.port), close: () => undefined };
  const socketPath = endpoint.socketPath;
  const server = net.createServer((client) => {
    const upstream = net.connect({ path: socketPath });
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: base('127.0.0.1', port), close: () => server.close() };
}
