/**
 * Stable error codes of the rollout analyzer (its own registry, like the gateway's
 * src/errors/errors.ts). Callers switch on `code`; tests assert codes. `retryable` marks
 * failures a caller may retry (429, 5xx, network, timeouts).
 */
export const ROLLOUT_ERRORS = {
  SG_ROLLOUT_CONFIG_INVALID: { status: 500, message: 'rollout analyzer configuration is invalid' },
  SG_ROLLOUT_BAD_REQUEST: { status: 400, message: 'malformed analysis request' },
  SG_ROLLOUT_UNAUTHORIZED: { status: 401, message: 'missing or wrong bearer token' },
  SG_ROLLOUT_NOT_FOUND: { status: 404, message: 'no such analysis' },
  SG_ROLLOUT_BUSY: { status: 503, message: 'too many analyses running' },
  SG_ROLLOUT_KUBE_FAILED: { status: 502, message: 'Kubernetes API request failed' },
  SG_ROLLOUT_NO_PODS: { status: 422, message: 'no pods matched the selector' },
  SG_ROLLOUT_METRICS_FAILED: { status: 502, message: 'Prometheus query failed' },
  SG_ROLLOUT_LLM_FAILED: { status: 502, message: 'LLM request failed' },
  SG_ROLLOUT_LLM_TIMEOUT: { status: 504, message: 'LLM request timed out' },
  SG_ROLLOUT_LLM_UNPARSABLE: { status: 502, message: 'LLM answer did not match the verdict schema' },
  SG_ROLLOUT_A2A_FAILED: { status: 502, message: 'remote A2A agent failed' },
  SG_ROLLOUT_GITHUB_FAILED: { status: 502, message: 'GitHub request failed' },
  SG_ROLLOUT_ANALYSIS_TIMEOUT: { status: 504, message: 'analysis did not finish in time' },
  SG_ROLLOUT_INTERNAL: { status: 500, message: 'internal error in the rollout analyzer' },
} as const satisfies Record<string, { status: number; message: string }>;

export type RolloutErrorCode = keyof typeof ROLLOUT_ERRORS;

export interface RolloutErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  /** Seconds to wait before retrying, e.g. from a Retry-After header. */
  retryAfter?: number;
  detail?: Record<string, unknown>;
}

export class RolloutError extends Error {
  readonly code: RolloutErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfter: number | undefined;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: RolloutErrorCode, message?: string, options: RolloutErrorOptions = {}) {
    super(message ?? ROLLOUT_ERRORS[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RolloutError';
    this.code = code;
    this.status = ROLLOUT_ERRORS[code].status;
    this.retryable = options.retryable ?? false;
    this.retryAfter = options.retryAfter;
    this.detail = options.detail;
  }

  toJSON(): { error: { code: RolloutErrorCode; message: string; detail?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.detail ? { detail: this.detail } : {}) } };
  }
}

export function isRolloutError(err: unknown): err is RolloutError {
  return err instanceof RolloutError;
}

/** Wraps anything thrown into a RolloutError, keeping the original as `cause`. */
export function toRolloutError(err: unknown, fallback: RolloutErrorCode = 'SG_ROLLOUT_INTERNAL'): RolloutError {
  if (isRolloutError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RolloutError(fallback, message, { cause: err });
}

/** Maps an HTTP status from an upstream API to retryability (429 and 5xx are retried). */
export function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
