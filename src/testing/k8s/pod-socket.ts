/**
 * Stands in for a client pod's network namespace: a loopback listener whose connections are relayed to
 * `target` from the pod's own address (localAddress), so the gateway sees the pod IP as the source —
 * what pod-label identity keys on. Clients that cannot choose a source address (Playwright) connect here.
 */
import net from 'node:net';

export interface PodSocket {
  /** host:port to connect to instead of the target. */
  address: string;
  close(): Promise<void>;
}

export async function asPod(podIP: string, target: { host: string; port: number }): Promise<PodSocket> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.host, port: target.port, localAddress: podIP });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
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
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
