/**
 * Kubernetes access: in-cluster service account config, an explicit kubeconfig file, or the
 * client's defaults ($KUBECONFIG, ~/.kube/config). One KubeConfig per process is enough.
 */
import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeAccessOptions {
  /** Path of a kubeconfig file; empty → in-cluster when running in a pod, else $KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
}

export function inCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(`${SA_DIR}/token`);
}

export function loadKubeConfig(options: KubeAccessOptions = {}, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else if (!env.KUBECONFIG && inCluster(env)) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error('no Kubernetes cluster configured (set kubeconfig or KUBECONFIG, or run in a pod)');
  return kc;
}

/** The namespace to use when none is configured: the pod's own, the context's, else `default`. */
export function defaultNamespace(kc: KubeConfig): string {
  const fromContext = kc.getContextObject(kc.getCurrentContext())?.namespace;
  if (fromContext) return fromContext;
  try {
    return readFileSync(`${SA_DIR}/namespace`, 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}
