/**
 * substrate through a real gateway: the relay sends the router Host header on WebSocket upgrades and
 * HTTP (the fake router answers 404 to any other Host), and the router's own 504 / 502 surface as
 * typed errors (502 while suspended mid-request is re-ensured once: the actor is resumed and the
 * request answered).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { chromiumSkip } from '../../testing/prereq.js';
import { startTestGateway, type TestGateway } from '../../testing/gateway.js';
import { ATESPACE, SubstrateFixture } from './fixture.js';

const skip = chromiumSkip();
const TENANT = { 'X-Sandgate-Tenant': 'gw-tenant' };

describe('substrate (actor-id) through a gateway', { skip, timeout: 180_000 }, () => {
  const fixture = new SubstrateFixture({ api: 'actor-id', auth: 'mtls', routeTimeoutMs: 1500 });
  let gw: TestGateway;
  before(async () => {
    await fixture.start();
    gw = await startTestGateway({ upstreamConnectTimeout: 15_000 }, fixture.backend());
  });
  after(async () => {
    await gw?.close();
    await fixture.close();
  });

  test('WebSocket (CDP) and HTTP reach the actor through the router by its Host header', async () => {
    const browser = await chromium.connectOverCDP(`${gw.ws}/cdp`, { headers: TENANT, timeout: 30_000 });
    assert.match(browser.version(), /\d+\./);
    await browser.close().catch(() => undefined);
    const res = await fetch(`${gw.http}/cdp/json/version`, { headers: TENANT });
    assert.equal(res.status, 200);
    assert.equal(fixture.router.answered.get(404) ?? 0, 0);
  });

  test('an actor that hangs: the router\'s 504 becomes SG_UPSTREAM_TIMEOUT', async () => {
    const name = (gw.backend as ReturnType<typeof fixture.backend>).actorName('gw-tenant');
    const actor = fixture.cp.actor(ATESPACE, name)!;
    fixture.cp.store.hang(actor);
    try {
      const res = await fetch(`${gw.http}/cdp/json/version`, { headers: TENANT });
      assert.equal(res.status, 504);
      const body = (await res.json()) as { error: { code: string; detail?: { routerStatus?: number } } };
      assert.equal(body.error.code, 'SG_UPSTREAM_TIMEOUT');
      assert.equal(body.error.detail?.routerStatus, 504);
    } finally {
      // Suspending mid-request: the router cuts it with 502; the gateway re-ensures (resume) once.
      const pending = fetch(`${gw.http}/cdp/json/version`, { headers: TENANT });
      await new Promise((r) => setTimeout(r, 300));
      await fixture.cp.store.freeze(actor, 'SUSPENDED');
      const res = await pending;
      assert.equal(res.status, 200, await res.clone().text());
      assert.ok((fixture.router.answered.get(502) ?? 0) >= 1, 'the router answered 502');
    }
  });
});
