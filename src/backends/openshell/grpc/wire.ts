/**
 * The OpenShell messages as our loader decodes them (snake_case fields, enums as names, 64-bit
 * integers as strings) and the pure mapping between them and the backend: what we create, whose
 * sandbox it is, and what a phase means for a caller waiting on it.
 */
import { SandgateError } from '../../../errors/errors.js';
import { labelValue } from '../../../kube/names.js';

export type Phase =
  | 'SANDBOX_PHASE_UNSPECIFIED'
  | 'SANDBOX_PHASE_PROVISIONING'
  | 'SANDBOX_PHASE_READY'
  | 'SANDBOX_PHASE_ERROR'
  | 'SANDBOX_PHASE_DELETING'
  | 'SANDBOX_PHASE_UNKNOWN'
  | 'SANDBOX_PHASE_STOPPING'
  | 'SANDBOX_PHASE_STOPPED'
  | 'SANDBOX_PHASE_STARTING';

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface Sandbox {
  metadata: { id: string; name: string; created_at_ms: string; labels: Record<string, string>; annotations: Record<string, string>; resource_version: string; deletion_timestamp_ms: string } | null;
  spec: { environment: Record<string, string>; template: { image: string } | null; command: string[] } | null;
  status: { phase: Phase; conditions: Condition[]; exit_code?: number | null } | null;
}

export interface CreateRequest {
  name: string;
  spec: { environment: Record<string, string>; template: { image: string; runtime_class_name?: string }; command: string[] };
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface StreamEvent {
  sandbox?: Sandbox | null;
  warning?: { message: string } | null;
}

export interface TcpForwardFrame {
  init?: { sandbox_id: string; service_id?: string; tcp: { host: string; port: number }; authorization_token: string };
  data?: Buffer;
}

export interface SshSession {
  token: string;
  /** 0 = no expiry. */
  expiresAtMs: number;
}

export const MANAGED_BY_LABEL = 'sandgate.io/gateway';
export const TENANT_LABEL = 'sandgate.io/tenant';
/** The full tenant id (labels hold a shortened value when the id is not a valid label value). */
export const TENANT_ANNOTATION = 'sandgate.io/tenant';
/** OpenShell caps user-supplied sandbox names at 19 characters (DNS-1123, no `--`). */
export const NAME_MAX = 19;

export interface Ownership {
  gatewayId: string;
}

export function ownerSelector({ gatewayId }: Ownership): string {
  return `${MANAGED_BY_LABEL}=${labelValue(gatewayId)}`;
}

export interface RequestInput extends Ownership {
  name: string;
  tenant: string;
  image: string;
  runtimeClassName?: string | undefined;
  port: number;
  secret: string;
  /** Argument vector of the runtime when `sandgate` is not on the image's PATH. */
  command?: string[] | undefined;
}

/**
 * The runtime is the sandbox's main process, listening on the sandbox's loopback only: ForwardTcp
 * reaches loopback targets, nothing else in the network needs to.
 */
export function createRequest(input: RequestInput): CreateRequest {
  return {
    name: input.name,
    spec: {
      environment: { SANDGATE_SANDBOX_SECRET: input.secret },
      template: { image: input.image, ...(input.runtimeClassName ? { runtime_class_name: input.runtimeClassName } : {}) },
      command: input.command ?? ['sandgate', 'sandbox', '--host', '127.0.0.1', '--port', String(input.port)],
    },
    labels: { [MANAGED_BY_LABEL]: labelValue(input.gatewayId), [TENANT_LABEL]: labelValue(input.tenant) },
    annotations: { [TENANT_ANNOTATION]: input.tenant },
  };
}

/** The tenant a sandbox belongs to when this gateway manages it, else undefined. */
export function ownedTenant(sandbox: Sandbox, { gatewayId }: Ownership): string | undefined {
  const meta = sandbox.metadata;
  if (meta?.labels[MANAGED_BY_LABEL] !== labelValue(gatewayId)) return undefined;
  const tenant = meta.annotations[TENANT_ANNOTATION];
  return tenant !== undefined && meta.labels[TENANT_LABEL] === labelValue(tenant) ? tenant : undefined;
}

export type SandboxState =
  | { kind: 'ready' }
  | { kind: 'pending'; phase: Phase }
  | { kind: 'stopped'; phase: Phase }
  | { kind: 'deleting' }
  | { kind: 'error'; reason: string; message: string };

export function sandboxState(sandbox: Sandbox): SandboxState {
  const phase = sandbox.status?.phase ?? 'SANDBOX_PHASE_UNSPECIFIED';
  if (Number(sandbox.metadata?.deletion_timestamp_ms ?? 0) > 0 || phase === 'SANDBOX_PHASE_DELETING') return { kind: 'deleting' };
  switch (phase) {
    case 'SANDBOX_PHASE_READY':
      return { kind: 'ready' };
    case 'SANDBOX_PHASE_ERROR':
      return { kind: 'error', ...failure(sandbox) };
    case 'SANDBOX_PHASE_STOPPING':
    case 'SANDBOX_PHASE_STOPPED':
      return { kind: 'stopped', phase };
    default:
      // PROVISIONING, STARTING, and UNKNOWN (the gateway has no status from its driver yet; it
      // promotes the sandbox once the supervisor connects): keep waiting.
      return { kind: 'pending', phase };
  }
}

function failure(sandbox: Sandbox): { reason: string; message: string } {
  const status = sandbox.status;
  const condition = status?.conditions.find((c) => c.type === 'Ready' && c.status.toLowerCase() === 'false') ?? status?.conditions[0];
  const exit = status?.exit_code;
  const reason = condition?.reason || (exit !== undefined && exit !== null ? 'MainProcessExited' : 'Error');
  const parts = [condition?.message, exit !== undefined && exit !== null ? `exit code ${exit}` : undefined].filter(Boolean);
  return { reason, message: parts.join('; ') || 'no reason given' };
}

export function terminalError(name: string, state: { reason: string; message: string }): SandgateError {
  return new SandgateError('SG_BACKEND_TERMINAL', `OpenShell sandbox ${name} failed: ${state.reason}: ${state.message}`, { detail: { reason: state.reason } });
}

/** Changes with every incarnation: another sandbox of that name, or the same one started again. */
export function endpointId(sandbox: Sandbox): string {
  return `${sandbox.metadata?.id ?? ''}@${sandbox.metadata?.resource_version ?? '0'}`;
}
