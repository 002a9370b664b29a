/**
 * One registry of stable error codes. Callers switch on `code`; tests assert codes.
 * Each code maps to the HTTP status a caller sees and the WebSocket close code used
 * when the failure happens after the upgrade.
 */
export const ERRORS = {
  SG_IDENTITY_MISSING: { status: 401, close: 4401, message: 'no caller identity' },
  SG_IDENTITY_INVALID: { status: 401, close: 4401, message: 'caller identity is invalid' },
  SG_IDENTITY_FORBIDDEN: { status: 403, close: 4403, message: 'caller is not allowed' },
  SG_TENANT_INVALID: { status: 400, close: 1008, message: 'tenant id is invalid' },
  SG_BAD_REQUEST: { status: 400, close: 1002, message: 'malformed request' },
  SG_PROTOCOL_UNSUPPORTED: { status: 501, close: 1003, message: 'this backend does not serve that protocol' },
  SG_UPGRADE_REQUIRED: { status: 426, close: 1002, message: 'this route needs a WebSocket upgrade' },
  SG_ROUTE_NOT_FOUND: { status: 404, close: 1008, message: 'no such route' },
  SG_HEADERS_TOO_LARGE: { status: 431, close: 1009, message: 'request headers too large' },
  SG_TENANT_CONN_LIMIT: { status: 429, close: 1013, message: 'too many connections for this tenant' },
  SG_ENSURE_TIMEOUT: { status: 503, close: 1013, message: 'sandbox was not ready in time' },
  SG_ENSURE_ABORTED: { status: 503, close: 1013, message: 'sandbox provisioning was aborted' },
  SG_BACKEND_UNAVAILABLE: { status: 503, close: 1013, message: 'backend cannot provision now' },
  SG_BACKEND_TERMINAL: { status: 502, close: 1011, message: 'backend reported a terminal failure' },
  SG_SANDBOX_DIED: { status: 502, close: 1011, message: 'sandbox died' },
  SG_UPSTREAM_UNREACHABLE: { status: 502, close: 1011, message: 'sandbox endpoint unreachable' },
  SG_UPSTREAM_TIMEOUT: { status: 504, close: 1011, message: 'sandbox endpoint timed out' },
  SG_SHUTTING_DOWN: { status: 503, close: 1001, message: 'gateway is shutting down' },
  SG_SANDBOX_SUSPENDED: { status: 503, close: 1001, message: 'sandbox was suspended; reconnect to resume it' },
  SG_SESSION_EXPIRED: { status: 503, close: 1001, message: 'sandbox reached its maximum lifetime' },
  SG_CONFIG_INVALID: { status: 500, close: 1011, message: 'configuration is invalid' },
  SG_TOKEN_INVALID: { status: 401, close: 4401, message: 'token is invalid' },
  SG_TOKEN_EXPIRED: { status: 401, close: 4401, message: 'token has expired' },
  SG_ADMIN_UNAUTHORIZED: { status: 401, close: 4401, message: 'admin API needs a valid admin token' },
  SG_NOT_FOUND: { status: 404, close: 1008, message: 'no such sandbox' },
  SG_RUNTIME_FAILED: { status: 502, close: 1011, message: 'sandbox runtime failed to start' },
  SG_INTERNAL: { status: 500, close: 1011, message: 'internal error' },
} as const satisfies Record<string, { status: number; close: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface SandgateErrorOptions {
  cause?: unknown;
  /** Seconds a caller should wait before retrying (sent as Retry-After). */
  retryAfter?: number;
  /** Extra machine-readable detail, safe to show to the caller. */
  detail?: Record<string, unknown>;
}

export class SandgateError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly closeCode: number;
  readonly retryAfter: number | undefined;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: SandgateErrorOptions = {}) {
    const spec = ERRORS[code];
    super(message ?? spec.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SandgateError';
    this.code = code;
    this.status = spec.status;
    this.closeCode = spec.close;
    this.retryAfter = options.retryAfter ?? (spec.status === 503 ? 1 : undefined);
    this.detail = options.detail;
  }

  /** The JSON body a caller receives. Never contains secrets. */
  toJSON(): { error: { code: ErrorCode; message: string; detail?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.detail ? { detail: this.detail } : {}) } };
  }
}

export function isSandgateError(err: unknown): err is SandgateError {
  return err instanceof SandgateError;
}

/** Wraps anything thrown into a SandgateError without losing the original as `cause`. */
export function toSandgateError(err: unknown, fallback: ErrorCode = 'SG_INTERNAL'): SandgateError {
  if (isSandgateError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SandgateError(fallback, message, { cause: err });
}
