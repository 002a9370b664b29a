/**
 * Minimal WebSocket framing knowledge for a byte-pipe relay: where frames end (so a close frame
 * can be injected without cutting a frame in half) and how to build an unmasked server close frame.
 */
export function closeFrame(code: number, reason: string): Buffer {
  const text = Buffer.from(reason.slice(0, 120), 'utf8');
  const payload = Buffer.alloc(2 + text.length);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  return Buffer.concat([Buffer.from([0x88, payload.length]), payload]);
}

/** Tracks frame boundaries in a stream of frames (either direction; masks are honoured). */
export class FrameBoundaryTracker {
  private remaining = 0;
  private header: Buffer = Buffer.alloc(0);

  get atBoundary(): boolean {
    return this.remaining === 0 && this.header.length === 0;
  }

  /**
   * Consumes a chunk. Returns how many bytes of it lead up to the first frame boundary reached
   * inside it (chunk.length when none is reached, 0 when already at a boundary before any byte).
   */
  consume(chunk: Buffer, stopAtBoundary = false): number {
    let offset = 0;
    if (stopAtBoundary && this.atBoundary) return 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= take;
        offset += take;
        if (stopAtBoundary && this.atBoundary) return offset;
        continue;
      }
      const need = this.headerNeeds();
      const take = Math.min(need - this.header.length, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length < this.headerNeeds()) continue;
      this.remaining = this.payloadLength();
      this.header = Buffer.alloc(0);
      if (stopAtBoundary && this.atBoundary) return offset;
    }
    return offset;
  }

  private headerNeeds(): number {
    if (this.header.length < 2) return 2;
    const b1 = this.header[1] as number;
    const len7 = b1 & 0x7f;
    const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    return 2 + ext + (b1 & 0x80 ? 4 : 0);
  }

  private payloadLength(): number {
    const len7 = (this.header[1] as number) & 0x7f;
    if (len7 === 126) return this.header.readUInt16BE(2);
    if (len7 === 127) return Number(this.header.readBigUInt64BE(2));
    return len7;
  }
}
