/**
 * backend=karssandbox: the chart's rendered RBAC (deploy/examples/karssandbox/values.yaml) is sufficient
 * and minimal — the Role in the gateway's namespace (karssandboxes, the InferencePolicy check) and the
 * ClusterRole for the sandbox pods in the per-sandbox namespaces kars-<name>. ensure, list and release run
 * under the ServiceAccount's token with the KARS test controller; each verb removed breaks its step.
 */
import { chromiumSkip } from '../../prereq.js';
import { k8sSkip } from '../cluster.js';
import { helmSkip } from '../helm.js';
import { KarsFixture } from '../../../backends/karssandbox/fixture.js';
import { rbacSuite } from './suite.js';

const fx = new KarsFixture();

rbacSuite("RBAC: the chart's karssandbox Role and ClusterRole have exactly the verbs the gateway uses", {
  skip: k8sSkip() || chromiumSkip() || helmSkip(),
  async start() {
    await fx.start();
    return { cluster: fx.cluster, namespace: fx.namespace, render: { namespace: fx.namespace, valuesFiles: ['deploy/examples/karssandbox/values.yaml'] } };
  },
  stop: () => fx.close(),
  rules: ['Role: kars.azure.com/karssandboxes create,list,watch,delete', 'Role: kars.azure.com/inferencepolicies get', 'ClusterRole: /pods list'],
  backend: (kc) => fx.backend({ gatewayId: 'gw-rbac' }, kc),
});
