/**
 * backend=openshell, openshellMode=kubernetes: the chart's rendered RBAC (deploy/examples/openshell/
 * values-kubernetes.yaml) is sufficient and minimal — ensure, list, suspend (patch + waiting for the pod to
 * go), resume and release run under the ServiceAccount's token with the real agent-sandbox controller, and
 * each verb removed makes the step that needs it fail.
 */
import assert from 'node:assert/strict';
import { chromiumSkip } from '../../prereq.js';
import { k8sSkip } from '../cluster.js';
import { helmSkip } from '../helm.js';
import { OpenShellKubernetesFixture } from '../../../backends/openshell/kubernetes/fixture.js';
import { rbacSuite } from './suite.js';

const fx = new OpenShellKubernetesFixture();

rbacSuite("RBAC: the chart's openshell (kubernetes) Role has exactly the verbs the gateway uses", {
  skip: k8sSkip() || chromiumSkip() || helmSkip(),
  async start() {
    await fx.start('rbac-openshell');
    return { cluster: fx.cluster, namespace: fx.namespace, render: { namespace: fx.namespace, valuesFiles: ['deploy/examples/openshell/values-kubernetes.yaml'] } };
  },
  stop: () => fx.close(),
  rules: ['Role: agents.x-k8s.io/sandboxes create,list,watch,delete,patch', 'Role: /pods list,watch'],
  backend: (kc) => fx.backend({ gatewayId: 'gw-rbac' }, kc),
  async more(backend) {
    assert.ok(backend.suspend);
    await backend.suspend('rbac-tenant');
    await backend.ensure('rbac-tenant', { signal: new AbortController().signal }); // resumes
  },
});
