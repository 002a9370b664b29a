/**
 * Follows one sandbox (by id) through WatchSandbox: every snapshot, and `undefined` once it is gone
 * (the stream ends, or NOT_FOUND). A stream broken by a retryable failure is reopened (its first
 * event is a fresh snapshot, so nothing is missed). Gateways without WatchSandbox (UNIMPLEMENTED) are
 * followed with GetSandbox instead. `waitSandbox` turns that into "wait until predicate", bounded
 * by a deadline and an AbortSignal.
 */
import { status as Status, type ClientReadableStream } from '@grpc/grpc-js';
import { SandgateError } from '../../../errors/errors.js';
import { grpcCode, grpcError, sandgateCode } from '../../../grpc/status.js';
import type { OpenShellApi } from './api.js';
import type { Sandbox, StreamEvent } from './wire.js';

export interface WatchTarget {
  id: string;
  name: string;
}

export interface WatchHandlers {
  /** A snapshot, or undefined once the sandbox (this id) is gone. */
  onSandbox(sandbox: Sandbox | undefined): void;
  /** A failure that reopening cannot fix (refused credentials, …). */
  onError(err: SandgateError): void;
}

export interface WatchOptions {
  /** GetSandbox interval when the gateway has no WatchSandbox (ms). */
  pollMs?: number;
  /** Delay before reopening a broken stream (ms). */
  retryMs?: number;
}

export class SandboxWatch {
  private stream: ClientReadableStream<StreamEvent> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling = false;

  constructor(
    private readonly api: OpenShellApi,
    private readonly target: WatchTarget,
    private readonly handlers: WatchHandlers,
    private readonly options: WatchOptions = {},
  ) {}

  start(): this {
    void this.open();
    return this;
  }

  private emit(sandbox: Sandbox | undefined): void {
    if (this.stopped) return;
    if (sandbox && sandbox.metadata?.id !== this.target.id) sandbox = undefined; // another sandbox took the name
    if (!sandbox) this.stop();
    this.handlers.onSandbox(sandbox);
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.handlers.onError(grpcError(`watching OpenShell sandbox ${this.target.name}`, err));
  }

  private later(fn: () => void, ms: number): void {
    if (!this.stopped) this.timer = setTimeout(fn, ms);
  }

  private async open(): Promise<void> {
    if (this.polling) return this.poll();
    let stream: ClientReadableStream<StreamEvent>;
    try {
      stream = await this.api.watch(this.target.id);
    } catch (err) {
      return this.fail(err);
    }
    stream.on('error', () => undefined); // a cancelled stream errors with CANCELLED; handled below while current
    if (this.stopped) return void stream.cancel();
    this.stream = stream;
    stream.on('data', (event: StreamEvent) => {
      if (event.sandbox) this.emit(event.sandbox);
    });
    stream.on('status', (s: { code: Status }) => {
      // OK (once per stream; failures come as 'error'): the server ended the stream because the sandbox is gone.
      if (s.code === Status.OK) this.emit(undefined);
    });
    stream.on('error', (err: unknown) => {
      if (this.stopped || this.stream !== stream) return;
      const code = grpcCode(err);
      if (code === Status.NOT_FOUND) return this.emit(undefined);
      if (code === Status.UNIMPLEMENTED) {
        this.polling = true;
        return void this.poll();
      }
      if (code !== undefined && sandgateCode(code) === 'SG_BACKEND_UNAVAILABLE') return this.later(() => void this.open(), this.options.retryMs ?? 500);
      this.fail(err);
    });
  }

  private async poll(): Promise<void> {
    try {
      this.emit(await this.api.get(this.target.name));
    } catch (err) {
      if (err instanceof SandgateError && err.code !== 'SG_BACKEND_UNAVAILABLE') return this.fail(err);
    }
    this.later(() => void this.poll(), this.options.pollMs ?? 500);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stream?.cancel();
    this.stream = undefined;
  }
}

export interface WaitOptions extends WatchOptions {
  /** Absolute deadline (epoch ms). */
  deadline: number;
  signal?: AbortSignal | undefined;
  /** Names the awaited state in errors, e.g. "sandbox sg-alice to become ready". */
  what: string;
}

/**
 * Resolves with the predicate's first defined result. The predicate sees every snapshot and
 * `undefined` once the sandbox is gone; it may throw (terminal).
 */
export function waitSandbox<R>(api: OpenShellApi, target: WatchTarget, predicate: (sandbox: Sandbox | undefined) => R | undefined, options: WaitOptions): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const watch = new SandboxWatch(api, target, {
      onSandbox(sandbox) {
        let result: R | undefined;
        try {
          result = predicate(sandbox);
        } catch (err) {
          return finish(() => reject(err));
        }
        if (result !== undefined) return finish(() => resolve(result as R));
        if (!sandbox) finish(() => reject(new SandgateError('SG_BACKEND_UNAVAILABLE', `OpenShell sandbox ${target.name} disappeared while waiting for ${options.what}`)));
      },
      onError: (err) => finish(() => reject(err)),
    }, options);
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      watch.stop();
      fn();
    };
    const onAbort = () => finish(() => reject(new SandgateError('SG_ENSURE_ABORTED', `gave up waiting for ${options.what}`, { cause: options.signal?.reason })));
    const timer = setTimeout(() => finish(() => reject(new SandgateError('SG_ENSURE_TIMEOUT', `${options.what} did not happen in time`))), Math.max(0, options.deadline - Date.now()));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    watch.start();
  });
}
