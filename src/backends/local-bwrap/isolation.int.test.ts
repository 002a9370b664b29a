/** What a page inside a bwrap sandbox can and cannot reach, with local-process as the control. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestGateway, type TestGateway } from '../../testing/gateway.js';
import { startFixtureServer, type FixtureServer } from '../../fixture/fixture-server.js';
import { CHROMIUM_PATH } from '../../testing/prereq.js';
import { bwrapSkip } from './testing.js';

const H = 'X-Sandgate-Tenant';
const ROOT = '/tmp/sandgate-isolation-test';

async function fileReadable(browser: Browser, path: string): Promise<boolean> {
  const page = await browser.contexts()[0]!.newPage();
  try {
    await page.goto(`file://${path}`);
    return (await page.content()).includes('host-secret');
  } catch {
    return false;
  } finally {
    await page.close();
  }
}

async function reachable(browser: Browser, url: string): Promise<boolean> {
  const page = await browser.contexts()[0]!.newPage();
  try {
    await page.goto(url, { timeout: 10_000 });
    return true;
  } catch {
    return false;
  } finally {
    await page.close();
  }
}

describe('bwrap isolation', { skip: bwrapSkip(), timeout: 180_000 }, () => {
  let fixture: FixtureServer;
  let secret: string;
  let bwrap: TestGateway;
  let plain: TestGateway;
  const open = (gw: TestGateway, tenant: string) => chromium.connectOverCDP(`${gw.ws}/cdp`, { headers: { [H]: tenant } });

  before(async () => {
    fixture = await startFixtureServer();
    secret = join(mkdtempSync('/tmp/sandgate-host-'), 'secret.html');
    writeFileSync(secret, '<p>host-secret</p>', { mode: 0o644 });
    bwrap = await startTestGateway({ backend: 'local-bwrap', sandboxDir: ROOT, sandboxNetwork: 'none', chromiumPath: CHROMIUM_PATH });
    plain = await startTestGateway({ backend: 'local-process' });
  });
  after(async () => {
    await bwrap?.close();
    await plain?.close();
    await fixture?.close();
  });

  test('file:// reads of host files and of another tenant\'s directory fail (and work without the box)', async () => {
    const control = await open(plain, 'control');
    assert.equal(await fileReadable(control, secret), true, 'control: a plain process can read the host file');
    await control.close();

    const a = await open(bwrap, 'tenant-a');
    const page = await a.contexts()[0]!.newPage();
    await page.goto('about:blank');
    await page.close();
    await a.close();
    const [dirA] = readdirSync(ROOT);
    assert.ok(dirA, 'tenant A has a sandbox directory');
    writeFileSync(join(ROOT, dirA, 'secret.html'), '<p>host-secret</p>', { mode: 0o644 });

    const b = await open(bwrap, 'tenant-b');
    assert.equal(await fileReadable(b, secret), false, 'bwrap: host file');
    assert.equal(await fileReadable(b, join(ROOT, dirA, 'secret.html')), false, 'bwrap: other tenant dir');
    await b.close();
    const again = await open(bwrap, 'tenant-a');
    assert.equal(await fileReadable(again, join(ROOT, dirA, 'secret.html')), true, 'bwrap: own dir is readable');
    await again.close();
  });

  test('with network none, loopback services of the host are unreachable', async () => {
    const control = await open(plain, 'control');
    assert.equal(await reachable(control, fixture.url), true);
    await control.close();
    const boxed = await open(bwrap, 'tenant-net');
    assert.equal(await reachable(boxed, fixture.url), false);
    await boxed.close();
  });
});
