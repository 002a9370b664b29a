/** A live gVisor checkpoint/restore through the gateway keeps the open page, window state, cookie and localStorage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startTestGateway } from '../../testing/gateway.js';
import { gvisorSkip } from './testing.js';
import { rawRequest, upgradeRequest } from '../../testing/raw-http.js';

const H = 'X-Sandgate-Tenant';
const ORIGIN = 'http://sandgate.test/';

test('suspend (checkpoint) → reconnect (restore) keeps page, memory, cookie and localStorage; Playwright protocol gets a typed 501', { skip: gvisorSkip(), timeout: 240_000 }, async () => {
  const gw = await startTestGateway({ backend: 'local-gvisor', sandboxDir: '/tmp/sandgate-test-gvisor-restore', sandboxMemory: '0' });
  try {
    const url = `${gw.ws}/cdp`;
    const headers = { [H]: 'frozen' };
    const first = await chromium.connectOverCDP(url, { headers });
    const context = first.contexts()[0]!;
    const page = await context.newPage();
    // The sandbox has no network: the page is served by the client.
    await page.route('**/*', (route) => route.fulfill({ contentType: 'text/html', body: '<title>gv</title><p>in gVisor</p>' }));
    await page.goto(ORIGIN);
    await page.evaluate(() => {
      const g = globalThis as unknown as { document: { cookie: string }; localStorage: { setItem(k: string, v: string): void }; __sg: string };
      g.document.cookie = 'sg=c1; max-age=3600';
      g.localStorage.setItem('sg', 'l1');
      g.__sg = 'w1';
    });
    const disconnected = new Promise((r) => first.once('disconnected', r));
    assert.equal(await gw.gateway.sessions.suspend('frozen'), true);
    await disconnected;
    assert.equal((await gw.backend.list())[0]?.state, 'suspended');

    const again = await chromium.connectOverCDP(url, { headers });
    const restored = again.contexts()[0]!.pages().find((p) => p.url() === ORIGIN);
    assert.ok(restored, 'the open page survived');
    const state = await restored.evaluate(() => {
      const g = globalThis as unknown as { document: { cookie: string }; localStorage: { getItem(k: string): string | null }; __sg?: string };
      return { cookie: g.document.cookie, storage: g.localStorage.getItem('sg'), memory: g.__sg ?? null };
    });
    assert.deepEqual(state, { cookie: 'sg=c1', storage: 'l1', memory: 'w1' });
    await again.close();

    const pw = await rawRequest(Number(new URL(gw.http).port), upgradeRequest('/playwright', headers));
    assert.equal(pw.status, 501);
    assert.equal(pw.headers['x-sandgate-error'], 'SG_PROTOCOL_UNSUPPORTED');
  } finally {
    await gw.close();
  }
});
