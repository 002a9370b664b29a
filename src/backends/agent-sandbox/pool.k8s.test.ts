/**
 * agent-sandbox acceptance on the test control plane: pool binding, cold starts, single-flight across
 * concurrent callers and replicas, release cleanup, a claim being deleted, and ensure timings.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { chromiumSkip } from '../../testing/prereq.js';
import { k8sSkip } from '../../testing/k8s/cluster.js';
import type { Endpoint } from '../types.js';
import { AgentSandboxFixture } from './fixture.js';
import { Inspect } from './inspect.js';
import { MANAGED_BY_LABEL } from './index.js';

const skip = k8sSkip() || chromiumSkip();
const never = () => new AbortController().signal;

async function answers(endpoint: Endpoint): Promise<boolean> {
  try {
    const browser = await chromium.connectOverCDP(`ws://${endpoint.host}:${endpoint.port}${endpoint.basePath}/cdp`, { timeout: 5000 });
    await browser.close();
    return true;
  } catch {
    return false;
  }
}

describe('agent-sandbox on a real API server with the real controller', { skip, timeout: 600_000 }, () => {
  const fx = new AgentSandboxFixture();
  let inspect: Inspect;
  before(async () => {
    await fx.start('pool', 2);
    inspect = new Inspect(fx.cluster.kc, fx.namespace);
  });
  after(() => fx.close());

  test('with a warm pool of 2, claims bind to pool sandboxes', async () => {
    const backend = fx.backend();
    await backend.start();
    try {
      const eps = await Promise.all(['pool-a', 'pool-b'].map((t) => backend.ensure(t, { signal: never() })));
      for (const [i, tenant] of ['pool-a', 'pool-b'].entries()) {
        const claim = await inspect.claim(backend.claimName(tenant));
        const bound = claim?.status?.sandbox?.name ?? '';
        assert.match(bound, /^sandgate-[a-z0-9]{5}$/, `claim bound to a pool sandbox, got ${bound}`);
        assert.equal(claim?.status?.sandbox?.podIPs?.[0], eps[i]?.host);
      }
      assert.ok(await answers(eps[0] as Endpoint));
    } finally {
      await backend.close();
    }
  });

  test('with the pool empty, a claim gets a cold sandbox named like the claim', async () => {
    await fx.sandboxes?.setReplicas(0);
    await fx.sandboxes?.poolReady(0);
    const backend = fx.backend();
    await backend.start();
    try {
      const ep = await backend.ensure('cold-a', { signal: never() });
      const name = backend.claimName('cold-a');
      assert.equal((await inspect.claim(name))?.status?.sandbox?.name, name);
      assert.ok(await answers(ep));
    } finally {
      await backend.close();
      await fx.sandboxes?.setReplicas(2);
    }
  });

  test('20 concurrent ensures for one tenant, across two replicas of one gateway, make one claim', async () => {
    await fx.sandboxes?.poolReady(2);
    const gatewayId = 'gw-replicas';
    const [a, b] = [fx.backend({ gatewayId }), fx.backend({ gatewayId })];
    await Promise.all([a.start(), b.start()]);
    try {
      const eps = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).ensure('one-tenant', { signal: never() })));
      assert.equal(new Set(eps.map((e) => e.id)).size, 1);
      assert.equal((await inspect.claims(`${MANAGED_BY_LABEL}=${gatewayId}`)).length, 1);
    } finally {
      await a.close();
      await b.close().catch(() => undefined);
    }
  });

  test('release removes the claim, its Sandbox and its pod, and the browser with them', async () => {
    await fx.sandboxes?.poolReady(2);
    const backend = fx.backend();
    await backend.start();
    const ep = await backend.ensure('to-release', { signal: never() });
    const name = backend.claimName('to-release');
    const sandbox = (await inspect.claim(name))?.status?.sandbox?.name ?? '';
    assert.ok(sandbox);
    await backend.release('to-release');
    assert.equal(await inspect.claim(name), undefined);
    assert.equal((await inspect.sandboxes()).some((s) => s.metadata?.name === sandbox), false, 'Sandbox deleted');
    assert.equal((await inspect.podNames()).includes(sandbox), false, 'pod deleted');
    assert.equal(await answers(ep), false, 'browser gone');
    await backend.close();
  });

  test('a claim that is being deleted is waited out, not reused', async () => {
    const gatewayId = 'gw-deleting';
    const first = fx.backend({ gatewayId });
    await first.start();
    const old = await first.ensure('deleting', { signal: never() });
    const name = first.claimName('deleting');
    await inspect.patchClaim(name, { metadata: { finalizers: ['sandgate.io/test-hold'] } });
    await inspect.deleteClaim(name);
    const second = fx.backend({ gatewayId });
    await second.start();
    try {
      let settled = false;
      const pending = second.ensure('deleting', { signal: never() }).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(settled, false, 'must not resolve while the old claim is being deleted');
      await inspect.patchClaim(name, { metadata: { finalizers: null } });
      const fresh = await pending;
      assert.notEqual(fresh.id, old.id);
      assert.notEqual((await inspect.claim(name))?.metadata?.uid, old.id.split('/')[0]);
      assert.ok(await answers(fresh));
    } finally {
      await second.close();
      await first.close();
    }
  });
});
