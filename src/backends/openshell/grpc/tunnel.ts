/**
 * The data path: a loopback TCP listener per sandbox whose every connection becomes one ForwardTcp
 * stream to the runtime's port on the sandbox's own loopback (the OpenShell gateway relays it through
 * the sandbox supervisor). Bytes flow both ways with backpressure (a full side pauses the other),
 * half-closes are passed on, and close() ends every open connection. ForwardTcp needs a session
 * token per stream (the gateway allows a few concurrent streams per token): `SessionTokens` keeps
 * them and mints more on demand.
 */
import net from 'node:net';
import { status as Status, type ClientDuplexStream } from '@grpc/grpc-js';
import type { OpenShellApi } from './api.js';
import type { TcpForwardFrame } from './wire.js';

/** OpenShell's limit of concurrent ForwardTcp streams per session token. */
export const STREAMS_PER_TOKEN = 3;
/** Tokens closer than this to their expiry are not handed out any more (ms). */
const EXPIRY_MARGIN_MS = 60_000;

interface Held {
  token: string;
  expiresAtMs: number;
  active: number;
  bad: boolean;
}

export class SessionTokens {
  private readonly held: Held[] = [];
  private minting: Promise<void> | undefined;

  constructor(private readonly mint: () => Promise<{ token: string; expiresAtMs: number }>, private readonly revoke: (token: string) => Promise<void>, private readonly now: () => number = Date.now) {}

  /** One mint at a time: connections opened together share the new token. */
  async acquire(): Promise<Held> {
    for (;;) {
      const usable = this.held.find((h) => !h.bad && h.active < STREAMS_PER_TOKEN && (h.expiresAtMs === 0 || h.expiresAtMs - this.now() > EXPIRY_MARGIN_MS));
      if (usable) {
        usable.active++;
        return usable;
      }
      if (!this.minting) {
        this.minting = this.mint()
          .then((s) => void this.add(s))
          .finally(() => (this.minting = undefined));
      }
      await this.minting;
    }
  }

  private add(session: { token: string; expiresAtMs: number }): Held {
    const held: Held = { ...session, active: 0, bad: false };
    this.held.push(held);
    return held;
  }

  /** `bad`: the gateway refused the token (expired, revoked); it is dropped. */
  release(held: Held, bad = false): void {
    held.active--;
    if (bad) held.bad = true;
    if (held.active === 0 && (held.bad || (held.expiresAtMs !== 0 && held.expiresAtMs - this.now() <= EXPIRY_MARGIN_MS))) {
      this.held.splice(this.held.indexOf(held), 1);
      if (!held.bad) void this.revoke(held.token);
    }
  }

  get size(): number {
    return this.held.length;
  }

  async close(): Promise<void> {
    const all = this.held.splice(0);
    await Promise.all(all.filter((h) => !h.bad).map((h) => this.revoke(h.token)));
  }
}

export interface TunnelTarget {
  sandboxId: string;
  /** Port of the runtime on the sandbox's loopback. */
  port: number;
}

export class ForwardTunnel {
  private readonly server = net.createServer((socket) => void this.accept(socket));
  private readonly open = new Set<{ socket: net.Socket; stream?: ClientDuplexStream<TcpForwardFrame, TcpForwardFrame> }>();
  private readonly tokens: SessionTokens;
  port = 0;

  constructor(private readonly api: OpenShellApi, private readonly target: TunnelTarget) {
    this.tokens = new SessionTokens(() => api.session(target.sandboxId), (token) => api.revoke(token));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  get connections(): number {
    return this.open.size;
  }

  private async accept(socket: net.Socket): Promise<void> {
    const entry: { socket: net.Socket; stream?: ClientDuplexStream<TcpForwardFrame, TcpForwardFrame> } = { socket };
    this.open.add(entry);
    socket.pause();
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      this.open.delete(entry);
      entry.stream?.cancel();
    });
    let held: Awaited<ReturnType<SessionTokens['acquire']>>;
    let stream: ClientDuplexStream<TcpForwardFrame, TcpForwardFrame>;
    try {
      held = await this.tokens.acquire();
    } catch {
      return void socket.destroy();
    }
    try {
      stream = await this.api.forward();
    } catch {
      this.tokens.release(held);
      return void socket.destroy();
    }
    if (socket.destroyed) {
      this.tokens.release(held);
      return void stream.cancel();
    }
    entry.stream = stream;
    let released = false;
    const done = (bad: boolean) => {
      if (released) return;
      released = true;
      this.tokens.release(held, bad);
    };
    stream.write({ init: { sandbox_id: this.target.sandboxId, service_id: 'sandgate', tcp: { host: '127.0.0.1', port: this.target.port }, authorization_token: held.token } });
    // sandbox → client
    stream.on('data', (frame: TcpForwardFrame) => {
      if (!frame.data?.length) return;
      if (!socket.write(frame.data)) {
        stream.pause();
        socket.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => socket.end());
    stream.on('status', () => done(false));
    stream.on('error', (err: { code?: number }) => {
      done(err.code === Status.UNAUTHENTICATED); // the token expired or was revoked
      socket.destroy();
    });
    // client → sandbox
    socket.on('data', (chunk: Buffer) => {
      if (!stream.write({ data: chunk })) {
        socket.pause();
        stream.once('drain', () => socket.resume());
      }
    });
    socket.on('end', () => stream.end());
    socket.resume();
  }

  async close(): Promise<void> {
    for (const { socket, stream } of this.open) {
      stream?.cancel();
      socket.destroy();
    }
    this.open.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.tokens.close();
  }
}
