/**
 * Pool hits and misses of an embedded gateway, observed (not asked): every ensure publishes an event on
 * `sandgate:ensure`; a claim from a ready pool resolves at once, a miss provisions a sandbox. The events
 * carry no tenant, so misses are counted per run, not per sample. Backends stay untouched.
 */
import diagnostics from 'node:diagnostics_channel';
import type { EnsureEvent } from '../observability/events.js';

/** An ensure slower than this provisioned a sandbox instead of claiming a ready one. */
export const POOL_MISS_MS = 100;

export class PoolWatch {
  private run = -1;
  private readonly misses = new Map<number, number>();
  private readonly claims = new Map<number, number>();
  private readonly onEnsure = (message: unknown) => {
    const e = message as EnsureEvent;
    if (e.reused || e.outcome !== 'ok' || this.run < 0) return;
    this.claims.set(this.run, (this.claims.get(this.run) ?? 0) + 1);
    if (e.ms >= POOL_MISS_MS) this.misses.set(this.run, (this.misses.get(this.run) ?? 0) + 1);
  };

  start(): void {
    diagnostics.subscribe('sandgate:ensure', this.onEnsure);
  }

  stop(): void {
    diagnostics.unsubscribe('sandgate:ensure', this.onEnsure);
  }

  /** Attributes the following ensures to run `i`. */
  beginRun(i: number): void {
    this.run = i;
  }

  missesIn(i: number): number {
    return this.misses.get(i) ?? 0;
  }

  /** Misses and claims over runs `from`… (the measured ones). */
  total(from: number): { misses: number; claims: number } {
    let misses = 0;
    let claims = 0;
    for (const [run, n] of this.claims) if (run >= from) claims += n;
    for (const [run, n] of this.misses) if (run >= from) misses += n;
    return { misses, claims };
  }
}
