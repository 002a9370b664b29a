/**
 * End to end on the test control plane: a Playwright client inside a labelled (simulated) pod →
 * gateway (identity=pod-label, backend=agent-sandbox, wired from configuration) → SandboxClaim →
 * agent-sandbox controller → Sandbox pod run by the test node agent → real Chromium → fixture page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { listWatch } from '../../kube/list-watch.js';
import { waitFor } from '../../kube/wait-for.js';
import { resourceName } from '../../kube/names.js';
import { startFixtureServer, type FixtureServer } from '../../fixture/fixture-server.js';
import { AgentSandboxFixture } from '../../backends/agent-sandbox/fixture.js';
import { Inspect } from '../../backends/agent-sandbox/inspect.js';
import { startTestGateway, type TestGateway } from '../gateway.js';
import { chromiumSkip } from '../prereq.js';
import { ADMIN_KUBECONFIG, k8sSkip } from './cluster.js';
import { asPod, type PodSocket } from './pod-socket.js';

const skip = k8sSkip() || chromiumSkip();

describe('end to end: labelled pod → gateway → SandboxClaim → controller → node agent → Chromium', { skip, timeout: 300_000 }, () => {
  const fx = new AgentSandboxFixture();
  let core: CoreV1Api;
  let gw: TestGateway;
  let fixture: FixtureServer;
  const sockets: PodSocket[] = [];

  /** A client pod (not a sandgate image: the node agent only gives it an address); resolves with its IP. */
  async function clientPod(name: string, labels: Record<string, string>): Promise<string> {
    await core.createNamespacedPod({ namespace: fx.namespace, body: { metadata: { name, labels }, spec: { containers: [{ name: 'agent', image: 'example/agent:1' }] } } });
    const pods = listWatch<V1Pod>(fx.cluster.kc, `/api/v1/namespaces/${fx.namespace}/pods`, { fieldSelector: `metadata.name=${name}` }, () =>
      core.listNamespacedPod({ namespace: fx.namespace, fieldSelector: `metadata.name=${name}` }),
    );
    return waitFor(pods, (items) => (items[0]?.status?.phase === 'Running' ? items[0].status.podIP : undefined), { deadline: Date.now() + 30_000, what: `pod ${name} running` });
  }
  const connectAs = async (podIP: string) => {
    const [host = '', port = ''] = gw.ws.slice('ws://'.length).split(':');
    const socket = await asPod(podIP, { host, port: Number(port) });
    sockets.push(socket);
    return socket.address;
  };

  before(async () => {
    await fx.start('e2e', 1);
    core = fx.cluster.kc.makeApiClient(CoreV1Api);
    fixture = await startFixtureServer();
    gw = await startTestGateway({
      backend: 'agent-sandbox',
      identity: 'pod-label',
      kubeconfig: ADMIN_KUBECONFIG,
      namespace: fx.namespace,
      warmPoolName: 'sandgate',
      sandboxSecret: fx.sandboxes?.secret ?? '',
      gatewayId: 'gw-e2e',
      podLabelWait: '3s',
    });
  });
  after(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await gw?.close();
    await fixture?.close();
    await fx.close();
  });

  test('a Playwright client in a pod labelled playwright-id=alice loads the fixture page in its own sandbox', async () => {
    const ip = await clientPod('agent-alice', { 'playwright-id': 'alice' });
    const address = await connectAs(ip);
    const browser = await chromium.connect(`ws://${address}/playwright`, { timeout: 60_000 });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(fixture.url);
      assert.equal(await page.textContent('#h'), 'sandgate fixture');
    } finally {
      await browser.close();
    }
    const claim = await new Inspect(fx.cluster.kc, fx.namespace).claim(resourceName('sg-', 'alice'));
    assert.equal(claim?.metadata?.annotations?.['sandgate.io/tenant'], 'alice');
    assert.equal(claim?.metadata?.labels?.['sandgate.io/gateway'], 'gw-e2e');
    assert.match(claim?.status?.sandbox?.name ?? '', /^sandgate-/, 'bound to the warm pool sandbox');
  });

  test('a caller pod without the label is refused with 403 and the reason', async () => {
    const ip = await clientPod('agent-nobody', { app: 'agent' });
    const address = await connectAs(ip);
    const res = await fetch(`http://${address}/cdp/json/version`);
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'SG_IDENTITY_FORBIDDEN');
    assert.match(body.error.message, /labelled playwright-id/);
  });
});
