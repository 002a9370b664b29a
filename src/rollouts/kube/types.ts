/**
 * The rollout analyzer's only seam to Kubernetes: list pods by label selector, read one container's
 * log. The production implementation wraps @kubernetes/client-node (client-node.ts, on the shared
 * src/kube helpers); the eval corpus and unit tests use an in-memory one (memory.ts).
 */
export interface ContainerInfo {
  name: string;
  /** Init containers are read too; their failures matter as much. */
  init: boolean;
  restartCount: number;
}

export interface PodInfo {
  name: string;
  namespace: string;
  labels: Readonly<Record<string, string>>;
  phase: string;
  containers: ContainerInfo[];
}

export interface LogOptions {
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  /** The previous (crashed) instance of the container. */
  previous?: boolean;
}

export interface RolloutsKube {
  listPods(namespace: string, labelSelector: string): Promise<PodInfo[]>;
  /** Resolves '' when there is nothing to read (e.g. no previous instance). */
  readLog(namespace: string, pod: string, container: string, options: LogOptions): Promise<string>;
}
