/**
 * Container logs of the test node agent, kept as a container runtime keeps them: every line of stdout
 * and stderr with the time it arrived, one log per container instance (a restart starts a new one, the
 * one before is what `previous=true` reads). `readLog` applies the kubelet's rules to one instance:
 * tailLines picks the last N lines first, then lines older than the since-window are skipped,
 * `timestamps` prefixes RFC 3339 times with nanoseconds, limitBytes cuts the output (even mid-line), and
 * `follow` keeps streaming new lines until the instance ends.
 */
import { EventEmitter } from 'node:events';

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  /** Wall-clock time the line arrived, in nanoseconds since the epoch. */
  timeNs: bigint;
  stream: LogStream;
  text: string;
}

/** Wall clock with sub-millisecond resolution (Date.now() anchored to the monotonic clock). */
const anchorNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
export const nowNs = (): bigint => anchorNs + process.hrtime.bigint();

export class LogInstance extends EventEmitter {
  readonly lines: LogLine[] = [];
  private ended = false;
  private readonly partial: Record<LogStream, string> = { stdout: '', stderr: '' };

  get running(): boolean {
    return !this.ended;
  }

  /** Appends raw output; complete lines are stamped as they arrive, a partial line waits for its newline. */
  write(stream: LogStream, chunk: string | Buffer): void {
    if (this.ended) return;
    const parts = (this.partial[stream] + chunk.toString()).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const text of parts) this.push(stream, text);
  }

  /** The container stopped: a pending partial line is kept, followers are released. */
  end(): void {
    if (this.ended) return;
    for (const stream of ['stdout', 'stderr'] as const) if (this.partial[stream]) this.push(stream, this.partial[stream]);
    this.ended = true;
    this.emit('end');
  }

  private push(stream: LogStream, text: string): void {
    const line = { timeNs: nowNs(), stream, text };
    this.lines.push(line);
    this.emit('line', line);
  }
}

/** Instances per container of each pod; pods are keyed by uid, so a re-created pod starts with no logs. */
export class ContainerLogs {
  private readonly byContainer = new Map<string, LogInstance[]>();

  /** A new instance of the container (its first start or a restart); the one before it is ended. */
  start(podUid: string, container: string): LogInstance {
    const key = `${podUid}/${container}`;
    const list = this.byContainer.get(key) ?? [];
    list.at(-1)?.end();
    const instance = new LogInstance();
    list.push(instance);
    this.byContainer.set(key, list);
    return instance;
  }

  /** The current (latest) instance, or with `previous` the one before it. */
  instance(podUid: string, container: string, previous = false): LogInstance | undefined {
    return this.byContainer.get(`${podUid}/${container}`)?.at(previous ? -2 : -1);
  }

  /** Forgets a deleted pod's logs, ending any follower. */
  forget(podUid: string): void {
    for (const [key, list] of this.byContainer) {
      if (!key.startsWith(`${podUid}/`)) continue;
      for (const i of list) i.end();
      this.byContainer.delete(key);
    }
  }
}

export interface ReadOptions {
  tailLines?: number | undefined;
  /** Lines older than this (ns since the epoch) are skipped. */
  sinceNs?: bigint | undefined;
  limitBytes?: number | undefined;
  timestamps?: boolean;
  follow?: boolean;
  /** Which streams to send (the kubelet's `stream` option); both by default. */
  streams?: readonly LogStream[];
}

/** 2006-01-02T15:04:05.000000000Z: RFC 3339 with a fixed nine-digit fraction, as the kubelet writes. */
export function formatTimestamp(timeNs: bigint): string {
  const ms = Number(timeNs / 1_000_000n);
  const fraction = String(timeNs % 1_000_000_000n).padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}

/**
 * Writes the selected lines of one instance to `write`; with `follow`, keeps writing new lines until
 * the instance ends, the byte limit is reached or `signal` aborts. Resolves when done.
 */
export function readLog(instance: LogInstance, o: ReadOptions, write: (chunk: string) => void, signal?: AbortSignal): Promise<void> {
  let remain = o.limitBytes ?? Infinity;
  const streams = o.streams ?? ['stdout', 'stderr'];
  /** Returns false once the byte limit is reached. */
  const emit = (line: LogLine): boolean => {
    if (o.sinceNs !== undefined && line.timeNs < o.sinceNs) return true;
    if (!streams.includes(line.stream)) return true;
    let out = `${o.timestamps ? `${formatTimestamp(line.timeNs)} ` : ''}${line.text}\n`;
    const bytes = Buffer.byteLength(out);
    if (bytes > remain) out = Buffer.from(out).subarray(0, remain).toString('utf8');
    write(out);
    remain -= Math.min(bytes, remain);
    return remain > 0;
  };
  const start = o.tailLines === undefined ? 0 : Math.max(0, instance.lines.length - o.tailLines);
  // Without follow, tailLines also caps how many lines are read (the kubelet's "limited mode").
  const snapshot = instance.lines.slice(start, o.follow || o.tailLines === undefined ? undefined : start + o.tailLines);
  for (const line of snapshot) if (!emit(line)) return Promise.resolve();
  if (!o.follow || !instance.running || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      instance.off('line', onLine);
      instance.off('end', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const onLine = (line: LogLine) => {
      if (!emit(line)) done();
    };
    instance.on('line', onLine);
    instance.once('end', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
