/**
 * Background analyses keyed by their identity (the AnalysisRun, the Flagger canary revision, …):
 * the first call starts one, later calls find it running or finished. Finished verdicts are kept for
 * resultTtl; a verdict that came from a failure (fail-closed Inconclusive) only for failedTtl, so a
 * retry recomputes it. One coarse timer sweeps; `settled` is emitted when an analysis finishes.
 */
import { EventEmitter } from 'node:events';
import type { AnalysisRequest } from '../analysis/request.js';
import { failedDecision, type AnalysisResult } from '../analysis/analyzer.js';
import { RolloutError } from '../errors.js';

export class Job {
  finishedAt?: number;
  result?: AnalysisResult;
  readonly controller = new AbortController();
  /** Never rejects: a crash of the analysis becomes a fail-closed Inconclusive result. */
  readonly done: Promise<AnalysisResult>;

  constructor(readonly key: string, readonly startedAt: number, run: (signal: AbortSignal) => Promise<AnalysisResult>, settle: (job: Job, r: AnalysisResult) => void) {
    this.done = run(this.controller.signal)
      .catch((err: unknown): AnalysisResult => ({ target: { namespace: '', rollout: '', stableSelector: '', canarySelector: '' }, decision: failedDecision(err), startedAt: new Date(startedAt).toISOString(), durationMs: 0 }))
      .then((r) => {
        settle(this, r);
        return r;
      });
  }
}

export interface JobsOptions {
  maxConcurrent: number;
  resultTtlMs: number;
  failedTtlMs: number;
  now?: () => number;
  run: (req: AnalysisRequest, signal: AbortSignal) => Promise<AnalysisResult>;
}

const failed = (r: AnalysisResult) => r.decision.judgements.length === 0 || r.decision.judgements.some((j) => j.failure !== undefined);

export class AnalysisJobs extends EventEmitter<{ settled: [key: string, result: AnalysisResult] }> {
  private readonly jobs = new Map<string, Job>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: JobsOptions) {
    super();
    this.now = o.now ?? Date.now;
  }

  private expired(job: Job, maxAgeMs?: number): boolean {
    if (job.finishedAt === undefined || !job.result) return false;
    const ttl = Math.min(failed(job.result) ? this.o.failedTtlMs : this.o.resultTtlMs, maxAgeMs ?? Infinity);
    return this.now() - job.finishedAt >= ttl;
  }

  get running(): number {
    return [...this.jobs.values()].filter((j) => j.finishedAt === undefined).length;
  }

  /** The job for `key`, started when absent or stale. SG_ROLLOUT_BUSY when too many are running. */
  ensure(key: string, req: AnalysisRequest, maxAgeMs?: number): Job {
    const existing = this.jobs.get(key);
    if (existing && !this.expired(existing, maxAgeMs)) return existing;
    if (this.running >= this.o.maxConcurrent) throw new RolloutError('SG_ROLLOUT_BUSY', `${this.running} analyses running (maxConcurrent ${this.o.maxConcurrent})`, { retryAfter: 5 });
    const job = new Job(key, this.now(), (signal) => this.o.run(req, signal), (j, result) => {
      j.result = result;
      j.finishedAt = this.now();
      this.emit('settled', key, result);
    });
    this.jobs.set(key, job);
    return job;
  }

  get(key: string): Job | undefined {
    return this.jobs.get(key);
  }

  list(): Job[] {
    return [...this.jobs.values()];
  }

  /** The result if the job finishes within `ms`, otherwise undefined (the job keeps running). */
  async wait(job: Job, ms: number): Promise<AnalysisResult | undefined> {
    if (job.result) return job.result;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
    try {
      return await Promise.race([job.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  sweep(): void {
    for (const [key, job] of this.jobs) if (this.expired(job)) this.jobs.delete(key);
  }

  start(intervalMs = 60_000): void {
    this.timer ??= setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const job of this.jobs.values()) if (job.finishedAt === undefined) job.controller.abort(new Error('server closing'));
  }
}
