import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException } from '@kubernetes/client-node';
import { defaultNamespace, inCluster, loadKubeConfig } from './config.js';
import { isConflict, isNotFound, kubeMessage, kubeStatus } from './errors.js';

const kubeconfig = (namespace?: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'sg-kc-')), 'config');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u${namespace ? `, namespace: ${namespace}` : ''}}}]
current-context: x
`,
  );
  return file;
};

test('an explicit kubeconfig wins; the namespace comes from its context, else default', () => {
  const kc = loadKubeConfig({ kubeconfig: kubeconfig('team-a') }, {});
  assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
  assert.equal(defaultNamespace(kc), 'team-a');
  assert.equal(defaultNamespace(loadKubeConfig({ kubeconfig: kubeconfig() }, {})), 'default');
  assert.equal(inCluster({}), false);
});

test('Kubernetes errors: status and a short message from generated-client and watch errors', () => {
  const api = new ApiException(409, 'Unknown API Status Code!', JSON.stringify({ message: 'sandboxclaims "sg-a" already exists' }), {});
  assert.equal(kubeStatus(api), 409);
  assert.ok(isConflict(api));
  assert.equal(kubeMessage(api), 'HTTP 409: sandboxclaims "sg-a" already exists');
  const watch = Object.assign(new Error('Forbidden'), { statusCode: 403 });
  assert.equal(kubeStatus(watch), 403);
  assert.ok(isNotFound(new ApiException(404, 'x', undefined, {})));
  assert.equal(kubeStatus(new Error('plain')), undefined);
});
