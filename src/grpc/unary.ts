/**
 * One unary call on a dynamically loaded gRPC client: a deadline, the caller's metadata, and
 * cancellation by an AbortSignal (then SG_ENSURE_ABORTED). Other failures are left as the raw
 * ServiceError, so the caller can branch on NOT_FOUND / ALREADY_EXISTS before mapping with grpcError.
 */
import { status as Status, type Client, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { SandgateError } from '../errors/errors.js';

type Callback = (err: ServiceError | null, response?: unknown) => void;
type UnaryMethod = (request: unknown, metadata: Metadata, options: { deadline: number }, callback: Callback) => { cancel(): void };

export interface UnaryOptions {
  metadata: Metadata;
  /** Deadline of the call (ms from now). */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Names the call in errors, e.g. `CreateSandbox sg-alice`. */
  what: string;
}

export function unaryCall<T>(client: Client, method: string, request: unknown, options: UnaryOptions): Promise<T> {
  const { signal, what } = options;
  if (signal?.aborted) return Promise.reject(new SandgateError('SG_ENSURE_ABORTED', `${what} was aborted`, { cause: signal.reason }));
  const fn = (client as unknown as Record<string, UnaryMethod | undefined>)[method];
  if (typeof fn !== 'function') return Promise.reject(new SandgateError('SG_INTERNAL', `the gRPC client has no method ${method}`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => call.cancel();
    const call = fn.call(client, request, options.metadata, { deadline: Date.now() + options.timeoutMs }, (err, response) => {
      signal?.removeEventListener('abort', onAbort);
      if (!err) return resolve(response as T);
      if (err.code === Status.CANCELLED && signal?.aborted) return reject(new SandgateError('SG_ENSURE_ABORTED', `${what} was aborted`, { cause: signal.reason }));
      reject(err);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
