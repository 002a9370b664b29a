/** From a page inside gVisor: host files and host loopback services are out of reach. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startTestGateway } from '../../testing/gateway.js';
import { startFixtureServer } from '../../fixture/fixture-server.js';
import { gvisorSkip } from './testing.js';

test('file:// reads of host files and loopback services of the host fail inside gVisor', { skip: gvisorSkip(), timeout: 180_000 }, async () => {
  const secret = join(mkdtempSync('/tmp/sandgate-host-'), 'secret.html');
  writeFileSync(secret, '<p>host-secret</p>', { mode: 0o644 });
  const fixture = await startFixtureServer();
  const gw = await startTestGateway({ backend: 'local-gvisor', sandboxDir: '/tmp/sandgate-test-gvisor-iso', sandboxMemory: '0' });
  try {
    const browser = await chromium.connectOverCDP(`${gw.ws}/cdp`, { headers: { 'X-Sandgate-Tenant': 'boxed' } });
    const read = async (url: string, marker: string) => {
      const page = await browser.contexts()[0]!.newPage(); // a fresh page each: Chromium keeps web pages from opening file:// URLs
      try {
        await page.goto(url, { timeout: 15_000 });
        return (await page.content()).includes(marker);
      } catch {
        return false;
      } finally {
        await page.close();
      }
    };
    assert.equal(await read(`file://${secret}`, 'host-secret'), false, 'host file');
    assert.equal(await read(fixture.url, 'sandgate fixture'), false, 'host loopback service');
    assert.equal(await read('file:///opt/sandgate/package.json', 'sandgate'), true, 'control: the read-only app mount is visible');
    await browser.close();
  } finally {
    await gw.close();
    await fixture.close();
  }
});
