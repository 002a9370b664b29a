/**
 * The seam between the one Kubernetes-object engine (engine.ts) and each kind of object a backend
 * provisions sandboxes with (SandboxClaim, agents.x-k8s.io Sandbox, KarsSandbox, isola Sandbox …).
 * A backend supplies an `ObjectKind` adapter; the engine does everything else the same way for all.
 */
import type { KubeConfig, KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';
import type { Capabilities } from '../types.js';

/**
 * What one object says about its sandbox, as `ObjectKind.state()` reads it.
 *  - `pending`: not ready yet (or not any more); `reason` is shown in timeouts and loss reports.
 *  - `ready`: serving. `host` is the address the gateway connects to (pod IP); leave it out when the
 *    object does not carry it and implement `resolve()`. `incarnation` identifies this run of the
 *    sandbox (default: `host`); the endpoint id is `<object uid>/<incarnation>`, so a new pod with a
 *    new address is a new endpoint, and the informer reports a handed-out endpoint as lost when it
 *    changes.
 *  - `terminal`: waiting longer cannot help (bad template, failed pod, missing reference); ensure()
 *    throws SG_BACKEND_TERMINAL with `reason` in `detail.reason`.
 *  - `suspended`: the spec says suspended/stopped. `settled` is true once nothing runs any more (pod
 *    gone). ensure() resumes such an object with `resumePatch`; suspend() waits for `settled`.
 *  - `deleting`: deletionTimestamp set; ensure() waits until it is gone, then creates it again.
 */
export type ObjectState =
  | { kind: 'pending'; reason: string }
  | { kind: 'ready'; host?: string; incarnation?: string }
  | { kind: 'terminal'; reason: string; message: string }
  | { kind: 'suspended'; settled: boolean }
  | { kind: 'deleting' };

/** What the engine hands `ObjectKind.body()` for one tenant. */
export interface BodyContext {
  /** `group/version` of the served version discovery picked. */
  apiVersion: string;
  /** The version alone (e.g. to choose `spec.operatingMode` vs `spec.replicas`). */
  version: string;
  /**
   * name, namespace, labels (managed-by label + tenant label) and annotations (full tenant id):
   * put it on the object as is — the engine relies on those to find and adopt its own objects.
   */
  metadata: V1ObjectMeta & { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  tenant: string;
  /** Tenant label (`tenantLabelKey` → label-safe tenant value), for the pods the object makes. */
  podLabels: Record<string, string>;
  /** Tenant annotation (full id), for the pods the object makes. */
  podAnnotations: Record<string, string>;
}

/** Passed to `resolve()`: the engine's Kubernetes access and the bounds of the current ensure(). */
export interface ResolveContext {
  kubeConfig: KubeConfig;
  namespace: string;
  deadline: number;
  signal: AbortSignal;
}

/**
 * One kind of Kubernetes object that stands for one tenant's sandbox. Implement this (a plain object
 * is enough) and give it to `KubeObjectBackend`; see agent-sandbox/claim.ts and
 * openshell/kubernetes/sandbox.ts for two complete adapters.
 *
 * Verbs the engine uses on `plural`: create, list, watch, delete (uid precondition, propagation
 * below) and — only with `suspendPatch`/`resumePatch` — patch (JSON merge patch). No get, no update.
 */
export interface ObjectKind<T extends KubernetesObject = KubernetesObject> {
  /** Kind, e.g. `SandboxClaim`: used in the body check and in every error message. */
  readonly kind: string;
  /** API group, e.g. `extensions.agents.x-k8s.io`. */
  readonly group: string;
  /** Resource plural, e.g. `sandboxclaims`. */
  readonly plural: string;
  /** Served versions in order of preference; start() picks the first one the API server serves. */
  readonly versions: readonly string[];
  /** Hint appended when none is served, e.g. `install agent-sandbox with its extensions`. */
  readonly installHint: string;
  /** Longest object name the kind allows (isola: 47). Default 63. */
  readonly maxNameLength?: number;
  /** `propagationPolicy` of deletes. Foreground (default): release() returns once dependents are gone. */
  readonly propagation?: 'Foreground' | 'Background';
  /** The object to create for a tenant; its metadata must be `ctx.metadata`. */
  body(ctx: BodyContext): T;
  /** Reads the object's status into one of the states above. Pure; called on every watch event. */
  state(obj: T): ObjectState;
  /**
   * For kinds whose ready object does not carry the pod address (`state` returned ready without
   * `host`): finds it (e.g. KARS: the pod labelled kars.azure.com/component=sandbox in
   * status.namespace). Return undefined while it cannot be found yet: the engine waits for the next
   * change of the object. Throw a SandgateError for terminal problems.
   */
  resolve?(obj: T, ctx: ResolveContext): Promise<{ host: string; incarnation?: string } | undefined>;
  /**
   * Runs before each provisioning creates (or adopts) the object, e.g. KARS: the InferencePolicy the
   * object refers to must exist. Throw a SandgateError (SG_BACKEND_TERMINAL with detail.reason) to refuse.
   */
  precheck?(ctx: ResolveContext): Promise<void>;
  /** JSON merge patch that suspends the object (e.g. `{spec: {operatingMode: 'Suspended'}}`). */
  suspendPatch?(version: string): object;
  /**
   * Optional, with `suspendPatch`: resolves once the workload of a settled suspended object is really
   * gone, for kinds whose status says so too early (agent-sandbox v0.5 reports Suspended=True as soon
   * as it has asked to delete the pod). suspend() returns after it.
   */
  awaitStopped?(obj: T, ctx: ResolveContext): Promise<void>;
  /** JSON merge patch that makes a suspended object run again. Required with `suspendPatch`. */
  resumePatch?(version: string): object;
}

/** Settings every Kubernetes-object backend shares (from config: namespace, gatewayId, …). */
export interface KubeObjectOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** Port of the sandbox runtime in the pod. */
  sandboxPort: number;
  /** Path secret of the runtime (its SANDGATE_SANDBOX_SECRET); the endpoint's basePath. */
  sandboxSecret: string;
  /** Value of the managed-by label: list() and the informer see only objects carrying it. */
  gatewayId: string;
  namePrefix: string;
  /** Label key carrying the tenant on the object and its pods. */
  tenantLabelKey: string;
  /** Backstop for waits the caller does not bound itself (ms). */
  maxWaitMs?: number;
}

/** What a backend built on the engine declares about itself. */
export interface KubeObjectIdentity {
  name: string;
  capabilities: Capabilities;
}
