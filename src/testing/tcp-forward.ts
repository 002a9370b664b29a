/**
 * A loopback TCP listener whose every connection is piped to `upstream` (a Unix socket, or a TCP
 * address reached from a chosen source address). close() also ends open connections.
 */
import net from 'node:net';

export interface TcpForward {
  port: number;
  close(): Promise<void>;
}

export async function tcpForward(upstream: net.NetConnectOpts): Promise<TcpForward> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const remote = net.connect(upstream);
    for (const s of [client, remote]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(remote).pipe(client);
    const end = () => {
      client.destroy();
      remote.destroy();
    };
    client.on('error', end).on('close', end);
    remote.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
