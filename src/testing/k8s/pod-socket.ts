/**
 * Stands in for a client pod's network namespace: a loopback listener whose connections are relayed to
 * `target` from the pod's own address (localAddress), so the gateway sees the pod IP as the source —
 * what pod-label identity keys on. Clients that cannot choose a source address (Playwright) connect here.
 */
import { tcpForward } from '../tcp-forward.js';

export interface PodSocket {
  /** host:port to connect to instead of the target. */
  address: string;
  close(): Promise<void>;
}

export async function asPod(podIP: string, target: { host: string; port: number }): Promise<PodSocket> {
  const forward = await tcpForward({ host: target.host, port: target.port, localAddress: podIP });
  return { address: `127.0.0.1:${forward.port}`, close: forward.close };
}
