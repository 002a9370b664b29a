/**
 * backend=agent-sandbox + identity=pod-label: the chart's rendered RBAC (deploy/examples/agent-sandbox)
 * is sufficient and minimal — the gateway's claim and pod steps run under the ServiceAccount's token, and
 * each of the 6 verbs removed makes exactly the step that needs it fail.
 */
import assert from 'node:assert/strict';
import { labelValue } from '../../../kube/names.js';
import { podLabelIdentity } from '../../../identity/pod-label.js';
import { chromiumSkip } from '../../prereq.js';
import { k8sSkip } from '../cluster.js';
import { helmSkip } from '../helm.js';
import { AgentSandboxFixture, TENANT_LABEL } from '../../../backends/agent-sandbox/fixture.js';
import { rbacSuite } from './suite.js';

const fx = new AgentSandboxFixture();

rbacSuite("RBAC: the chart's agent-sandbox Role has exactly the verbs the gateway uses", {
  skip: k8sSkip() || chromiumSkip() || helmSkip(),
  async start() {
    await fx.start('rbac', 1);
    return { cluster: fx.cluster, namespace: fx.namespace, render: { namespace: fx.namespace, valuesFiles: ['deploy/examples/agent-sandbox/values.yaml'] } };
  },
  stop: () => fx.close(),
  rules: ['Role: extensions.agents.x-k8s.io/sandboxclaims create,list,watch,delete', 'Role: /pods list,watch'],
  backend: (kc) => fx.backend({ gatewayId: 'gw-rbac' }, kc),
  async more(_backend, endpoint, kc) {
    // identity=pod-label: the caller's pod IP → its tenant label, through the pod informer.
    const identity = podLabelIdentity({ kubeConfig: kc, namespaces: [fx.namespace], labelKey: TENANT_LABEL, missWaitMs: 5000 });
    try {
      await identity.start?.();
      assert.equal(await identity.index.waitFor(endpoint.host, 5000), labelValue('rbac-tenant'));
    } finally {
      await identity.close?.();
    }
  },
});
