import type { Config } from '../config/schema.js';
import { headerIdentity, pathIdentity, tokenIdentity } from './providers.js';
import type { IdentityProvider } from './types.js';
import { podLabelIdentity } from './pod-label.js';
import { defaultNamespace, loadKubeConfig } from '../kube/config.js';

export type { Identity, IdentityProvider } from './types.js';
export { validateTenantId } from './tenant-id.js';

type IdentityConfig = Pick<Config, 'identity' | 'identityHeader' | 'tokenSecret'> &
  Partial<Pick<Config, 'kubeconfig' | 'namespace' | 'podLabelKey' | 'podLabelNamespaces' | 'podLabelWait'>>;

export function createIdentity(config: IdentityConfig): IdentityProvider {
  switch (config.identity) {
    case 'header':
      return headerIdentity(config.identityHeader);
    case 'path':
      return pathIdentity();
    case 'token':
      return tokenIdentity(config.tokenSecret);
    case 'pod-label': {
      const kubeConfig = loadKubeConfig({ kubeconfig: config.kubeconfig ?? '' });
      const namespaces = config.podLabelNamespaces?.length ? config.podLabelNamespaces : [config.namespace || defaultNamespace(kubeConfig)];
      return podLabelIdentity({ kubeConfig, namespaces, labelKey: config.podLabelKey ?? 'playwright-id', missWaitMs: config.podLabelWait ?? 2000 });
    }
  }
}
