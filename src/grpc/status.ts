/**
 * gRPC status → SandgateError, the same way for every gRPC backend. Retrying can help for
 * UNAVAILABLE / DEADLINE_EXCEEDED / RESOURCE_EXHAUSTED (SG_BACKEND_UNAVAILABLE, 503 + Retry-After);
 * refused credentials and rejected requests are terminal (SG_BACKEND_TERMINAL, 502) with the gRPC
 * code name as `detail.reason`, so callers and tests can tell them apart.
 */
import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { SandgateError, isSandgateError, type ErrorCode } from '../errors/errors.js';

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number' && 'metadata' in err;
}

/** The gRPC status code of `err`, or undefined when it is not a gRPC error. */
export function grpcCode(err: unknown): Status | undefined {
  return isServiceError(err) ? err.code : undefined;
}

/** Name of a status code, e.g. `UNAVAILABLE`. */
function codeName(code: Status): string {
  return Status[code] ?? `CODE_${code}`;
}

const RETRYABLE = new Set<Status>([Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.RESOURCE_EXHAUSTED, Status.ABORTED]);

/** Human wording for the codes an operator has to act on. */
const HINTS: Partial<Record<Status, string>> = {
  [Status.UNAUTHENTICATED]: 'the API refused our credentials (check the token file)',
  [Status.PERMISSION_DENIED]: 'the API denied the call to our identity (check its roles/scopes)',
};

/** The SG_* code a gRPC status maps to. */
export function sandgateCode(code: Status): ErrorCode {
  if (code === Status.CANCELLED) return 'SG_ENSURE_ABORTED';
  return RETRYABLE.has(code) ? 'SG_BACKEND_UNAVAILABLE' : 'SG_BACKEND_TERMINAL';
}

/**
 * Wraps a failed call: `what` names it ("CreateSandbox sg-alice"). SandgateErrors pass through;
 * anything that is not a gRPC error becomes SG_BACKEND_UNAVAILABLE.
 */
export function grpcError(what: string, err: unknown): SandgateError {
  if (isSandgateError(err)) return err;
  if (!isServiceError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new SandgateError('SG_BACKEND_UNAVAILABLE', `${what} failed: ${message}`, { cause: err });
  }
  const name = codeName(err.code);
  const hint = HINTS[err.code];
  const text = `${what} failed: ${name}: ${err.details || err.message}${hint ? ` — ${hint}` : ''}`;
  return new SandgateError(sandgateCode(err.code), text, { cause: err, detail: { reason: name } });
}
