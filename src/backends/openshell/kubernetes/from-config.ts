/** config → OpenShellKubernetesBackend (backend=openshell, openshellMode=kubernetes). */
import type { Config } from '../../../config/schema.js';
import { defaultNamespace, loadKubeConfig } from '../../../kube/config.js';
import { OpenShellKubernetesBackend } from './index.js';

export function openShellKubernetesFromConfig(config: Config): OpenShellKubernetesBackend {
  const kubeConfig = loadKubeConfig({ kubeconfig: config.kubeconfig });
  return new OpenShellKubernetesBackend({
    kubeConfig,
    namespace: config.namespace || defaultNamespace(kubeConfig),
    image: config.sandboxImage,
    sandboxPort: config.sandboxPort,
    sandboxSecret: config.sandboxSecret,
    gatewayId: config.gatewayId,
    namePrefix: config.namePrefix,
    tenantLabelKey: config.tenantLabelKey,
  });
}
