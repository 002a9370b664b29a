/**
 * What the test fixtures of the Kubernetes-object backends (isola, karssandbox, openshell kubernetes)
 * share: the test plane, the `sandgate` image run as the sandbox runtime (port, path secret), the
 * tenant label key and a gateway id of their own. Test-only.
 */
import { randomBytes } from 'node:crypto';
import { TestCluster } from './cluster.js';
import { SANDBOX_PORT } from './sandboxes.js';

export const TENANT_LABEL = 'sandbox.users.io/sandgate-tenant';
export const SANDBOX_IMAGE = 'sandgate:latest';
export { SANDBOX_PORT };

export class KubeBackendFixture {
  readonly cluster = new TestCluster();
  readonly secret = randomBytes(24).toString('base64url');
  readonly gatewayId = `gw-${randomBytes(3).toString('hex')}`;
  namespace = '';

  /** `label`: how bench:k8s names the setup. */
  constructor(readonly label: string) {}
}
