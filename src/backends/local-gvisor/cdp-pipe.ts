/** CDP over a pipe pair (NUL-delimited JSON): send, listen, and internal calls whose answers stay here. */
import type { Readable, Writable } from 'node:stream';

export interface CdpMessage {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message?: string };
}

/** Ids at or above this are the bridge's own; clients' ids are far below. */
const INTERNAL_ID_BASE = 1_000_000_000;

export class CdpPipe {
  private buffer = Buffer.alloc(0);
  private nextId = INTERNAL_ID_BASE;
  private readonly pending = new Map<number, { resolve(r: CdpMessage): void; reject(e: Error): void }>();
  private listener: ((raw: string, msg: CdpMessage) => void) | undefined;
  private closedReason: string | undefined;

  constructor(private readonly input: Writable, output: Readable) {
    output.on('data', (chunk: Buffer) => this.onData(chunk));
    output.on('close', () => this.fail('the browser pipe closed'));
    input.on('error', () => this.fail('the browser pipe broke'));
  }

  /** Receives every message that is not an answer to an internal call. */
  onMessage(fn: ((raw: string, msg: CdpMessage) => void) | undefined): void {
    this.listener = fn;
  }

  sendRaw(raw: string): void {
    if (!this.closedReason) this.input.write(raw + '\0');
  }

  call(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<CdpMessage> {
    if (this.closedReason) return Promise.reject(new Error(this.closedReason));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.sendRaw(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    let end: number;
    while ((end = this.buffer.indexOf(0)) >= 0) {
      const raw = this.buffer.subarray(0, end).toString('utf8');
      this.buffer = this.buffer.subarray(end + 1);
      let msg: CdpMessage;
      try {
        msg = JSON.parse(raw) as CdpMessage;
      } catch {
        continue;
      }
      const waiter = msg.id !== undefined && msg.id >= INTERNAL_ID_BASE ? this.pending.get(msg.id) : undefined;
      if (waiter && msg.id !== undefined) {
        this.pending.delete(msg.id);
        if (msg.error) waiter.reject(new Error(msg.error.message ?? 'CDP error'));
        else waiter.resolve(msg);
      } else this.listener?.(raw, msg);
    }
  }

  private fail(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    for (const w of this.pending.values()) w.reject(new Error(reason));
    this.pending.clear();
  }
}
