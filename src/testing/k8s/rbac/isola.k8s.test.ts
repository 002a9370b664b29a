/**
 * backend=isola: the chart's rendered RBAC (deploy/examples/isola/values.yaml) is sufficient and minimal.
 * The gateway's ServiceAccount lives in its own namespace; its Role and RoleBinding are rendered into
 * the isola namespace. ensure, list and release run under the ServiceAccount's token with the isola test
 * controller, and each verb removed makes the step that needs it fail.
 */
import { chromiumSkip } from '../../prereq.js';
import { k8sSkip } from '../cluster.js';
import { helmSkip } from '../helm.js';
import { IsolaFixture } from '../../../backends/isola/fixture.js';
import { rbacSuite } from './suite.js';

const fx = new IsolaFixture();

rbacSuite("RBAC: the chart's isola Role has exactly the verbs the gateway uses", {
  skip: k8sSkip() || chromiumSkip() || helmSkip(),
  async start() {
    await fx.start();
    const gateway = await fx.cluster.namespace('rbac-isola-gw');
    return { cluster: fx.cluster, namespace: gateway, render: { namespace: gateway, valuesFiles: ['deploy/examples/isola/values.yaml'], values: { config: { isolaNamespace: fx.namespace } } } };
  },
  stop: () => fx.close(),
  rules: ['Role: sandbox.isola.run/sandboxes create,list,watch,delete'],
  backend: (kc) => fx.backend({ gatewayId: 'gw-rbac' }, kc),
});
