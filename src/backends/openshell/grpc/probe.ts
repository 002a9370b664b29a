/**
 * Test-only: a raw CDP client (one WebSocket, sequential Browser.getVersion calls) to prove a
 * browser answers and to time round trips, e.g. direct vs through the ForwardTcp tunnel.
 */
import { WebSocket } from 'ws';

export interface CdpProbe {
  readonly socket: WebSocket;
  /** One Browser.getVersion round trip: the product string and the time it took (ms). */
  version(): Promise<{ product: string; ms: number }>;
  close(): void;
}

export async function cdpProbe(url: string, headers: Record<string, string> = {}): Promise<CdpProbe> {
  const ws = new WebSocket(url, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`CDP upgrade answered ${res.statusCode}`)));
  });
  let next = 1;
  const pending = new Map<number, (msg: { result?: { product?: string } }) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: { product?: string } };
    if (msg.id === undefined) return;
    pending.get(msg.id)?.(msg);
    pending.delete(msg.id);
  });
  return {
    socket: ws,
    version: () =>
      new Promise((resolve, reject) => {
        const id = next++;
        const t0 = performance.now();
        pending.set(id, (msg) => resolve({ product: msg.result?.product ?? '', ms: performance.now() - t0 }));
        ws.send(JSON.stringify({ id, method: 'Browser.getVersion' }), (err) => err && reject(err));
      }),
    close: () => ws.close(),
  };
}

/** The browser's product string, over a fresh connection. */
export async function cdpVersion(url: string): Promise<string> {
  const probe = await cdpProbe(url);
  try {
    return (await probe.version()).product;
  } finally {
    probe.close();
  }
}
