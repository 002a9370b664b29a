/** Real clients through a real gateway to real Chromium sandboxes (local-process backend). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { chromiumSkip } from '../testing/prereq.js';
import { startFixtureServer, type FixtureServer } from '../fixture/fixture-server.js';
import { issueToken } from '../identity/token.js';

const H = 'X-Sandgate-Tenant';

describe('clients through the gateway', { skip: chromiumSkip(), timeout: 120_000 }, () => {
  let gw: TestGateway;
  let fixture: FixtureServer;
  before(async () => {
    fixture = await startFixtureServer();
    gw = await startTestGateway();
  });
  after(async () => {
    await gw?.close();
    await fixture?.close();
  });

  test('playwright-core chromium.connect opens a page', async () => {
    const browser = await chromium.connect(`${gw.ws}/playwright`, { headers: { [H]: 'pw' } });
    const page = await (await browser.newContext()).newPage();
    await page.goto(fixture.url);
    assert.equal(await page.textContent('#h'), 'sandgate fixture');
    await browser.close();
  });

  test('playwright-core connectOverCDP opens a page', async () => {
    const browser = await chromium.connectOverCDP(`${gw.ws}/cdp`, { headers: { [H]: 'cdp' } });
    const page = await browser.contexts()[0]!.newPage();
    await page.goto(fixture.url);
    assert.equal(await page.title(), 'sandgate fixture');
    await browser.close();
  });

  test('puppeteer-core connect opens a page', async () => {
    const browser = await puppeteer.connect({ browserWSEndpoint: `${gw.ws}/cdp`, headers: { [H]: 'pptr' } });
    const page = await browser.newPage();
    await page.goto(fixture.url);
    assert.equal(await page.$eval('#h', (el) => el.textContent), 'sandgate fixture');
    await page.close();
    await browser.disconnect();
  });

  test('two tenants get two browsers; the same tenant gets its own browser back', async () => {
    const open = (tenant: string) => chromium.connectOverCDP(`${gw.ws}/cdp`, { headers: { [H]: tenant } });
    const a = await open('iso-a');
    await a.contexts()[0]!.addCookies([{ name: 'owner', value: 'a', url: fixture.url }]);
    await a.close();
    const b = await open('iso-b');
    assert.deepEqual(await b.contexts()[0]!.cookies(fixture.url), []);
    await b.close();
    const again = await open('iso-a');
    assert.deepEqual((await again.contexts()[0]!.cookies(fixture.url)).map((c) => c.value), ['a']);
    await again.close();
    const sandboxes = await gw.backend.list();
    const pidOf = (t: string) => sandboxes.find((s) => s.tenant === t)?.pids?.[0];
    assert.ok(pidOf('iso-a') && pidOf('iso-b') && pidOf('iso-a') !== pidOf('iso-b'));
  });

  test('HTTP forwarding: CDP discovery of the tenant\'s browser', async () => {
    const res = await fetch(`${gw.http}/cdp/json/version`, { headers: { [H]: 'pw' } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { Browser?: string };
    assert.match(body.Browser ?? '', /Chrom/);
  });
});

describe('path and token identity', { skip: chromiumSkip(), timeout: 60_000 }, () => {
  test('path identity: /t/<tenant>/cdp', async () => {
    const gw = await startTestGateway({ identity: 'path' });
    try {
      const browser = await chromium.connectOverCDP(`${gw.ws}/t/${encodeURIComponent('team/one')}/cdp`);
      assert.ok(browser.version());
      await browser.close();
      assert.deepEqual((await gw.backend.list()).map((s) => s.tenant), ['team/one']);
    } finally {
      await gw.close();
    }
  });

  test('token identity: Bearer and ?token=, bad token → 401', async () => {
    const secret = 's'.repeat(40);
    const gw = await startTestGateway({ identity: 'token', tokenSecret: secret });
    try {
      const token = issueToken(secret, 'tok-tenant', 60_000);
      const viaHeader = await chromium.connectOverCDP(`${gw.ws}/cdp`, { headers: { Authorization: `Bearer ${token}` } });
      await viaHeader.close();
      const viaQuery = await chromium.connectOverCDP(`${gw.ws}/cdp?token=${token}`);
      await viaQuery.close();
      assert.deepEqual((await gw.backend.list()).map((s) => s.tenant), ['tok-tenant']);
      const bad = await fetch(`${gw.http}/cdp/json/version`, { headers: { Authorization: `Bearer ${token}x` } });
      assert.equal(bad.status, 401);
      assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'SG_TOKEN_INVALID');
    } finally {
      await gw.close();
    }
  });
});
