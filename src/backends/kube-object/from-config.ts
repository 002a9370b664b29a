/** The config keys every Kubernetes-object backend shares → KubeObjectOptions. */
import type { Config } from '../../config/schema.js';
import { defaultNamespace, loadKubeConfig } from '../../kube/config.js';
import type { KubeObjectOptions } from './types.js';

export function kubeObjectOptions(config: Config): KubeObjectOptions {
  const kubeConfig = loadKubeConfig({ kubeconfig: config.kubeconfig });
  return {
    kubeConfig,
    namespace: config.namespace || defaultNamespace(kubeConfig),
    sandboxPort: config.sandboxPort,
    sandboxSecret: config.sandboxSecret,
    gatewayId: config.gatewayId,
    namePrefix: config.namePrefix,
    tenantLabelKey: config.tenantLabelKey,
  };
}
