/** config → OpenShellKubernetesBackend (backend=openshell, openshellMode=kubernetes). */
import type { Config } from '../../../config/schema.js';
import { kubeObjectOptions } from '../../kube-object/from-config.js';
import { OpenShellKubernetesBackend } from './index.js';

export function openShellKubernetesFromConfig(config: Config): OpenShellKubernetesBackend {
  return new OpenShellKubernetesBackend({ ...kubeObjectOptions(config), image: config.sandboxImage });
}
