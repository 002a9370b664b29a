/** Suspend → resume keeps live state; persisted state survives the browser's destruction; the admin API drives both. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { chromiumSkip } from '../testing/prereq.js';
import { startFixtureServer, type FixtureServer } from '../fixture/fixture-server.js';

const H = 'X-Sandgate-Tenant';
const TOKEN = 'admin-'.repeat(6);

function procState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

async function admin(gw: TestGateway, method: string, path: string, token = TOKEN): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${gw.management}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

async function writeState(browser: Browser, url: string, marker: string): Promise<void> {
  const page = await browser.contexts()[0]!.newPage();
  await page.goto(url);
  await page.evaluate((m) => {
    const g = globalThis as unknown as { document: { cookie: string }; localStorage: { setItem(k: string, v: string): void }; __sg: string };
    g.document.cookie = `sg=${m}; max-age=3600`;
    g.localStorage.setItem('sg', m);
    g.__sg = m;
  }, marker);
}

async function readState(browser: Browser, url: string): Promise<{ cookie: string; storage: string | null; memory: string | null; pages: number }> {
  const context = browser.contexts()[0]!;
  const open = context.pages().find((p) => p.url() === url);
  const page = open ?? (await context.newPage());
  if (!open) await page.goto(url);
  const got = await page.evaluate(() => {
    const g = globalThis as unknown as { document: { cookie: string }; localStorage: { getItem(k: string): string | null }; __sg?: string };
    return { cookie: g.document.cookie, storage: g.localStorage.getItem('sg'), memory: g.__sg ?? null };
  });
  return { ...got, pages: open ? 1 : 0 };
}

describe('suspend, resume and persisted state', { skip: chromiumSkip(), timeout: 120_000 }, () => {
  let fixture: FixtureServer;
  let gw: TestGateway;
  before(async () => {
    fixture = await startFixtureServer();
    const stateDir = mkdtempSync(join(tmpdir(), 'sandgate-state-'));
    gw = await startTestGateway({ adminToken: TOKEN, persistState: 'opt-in', stateDir });
  });
  after(async () => {
    await gw?.close();
    await fixture?.close();
  });

  test('the admin API needs its token', async () => {
    assert.equal((await admin(gw, 'GET', '/v1/sandboxes', 'wrong')).status, 401);
    assert.equal((await admin(gw, 'GET', '/v1/sandboxes')).status, 200);
    assert.equal((await admin(gw, 'POST', '/v1/sandboxes/nobody/suspend')).status, 404);
  });

  test('suspend freezes the sandbox; the next connect resumes it with page, memory, cookie and localStorage', async () => {
    const url = `${gw.ws}/cdp`;
    const headers = { [H]: 'pausy' };
    const first = await chromium.connectOverCDP(url, { headers });
    await writeState(first, fixture.url, 'm1');
    const closed = new Promise((r) => first.once('disconnected', r));
    assert.equal((await admin(gw, 'POST', `/v1/sandboxes/pausy/suspend`)).status, 200);
    await closed; // open connections are closed with 1001 on suspend
    const info = (await gw.backend.list()).find((s) => s.tenant === 'pausy');
    assert.equal(info?.state, 'suspended');
    for (const pid of info?.pids ?? []) assert.equal(procState(pid), 'T', `pid ${pid} is stopped`);
    const listed = (await admin(gw, 'GET', '/v1/sandboxes')).body as { sandboxes: Array<{ tenant: string; state: string }> };
    assert.deepEqual(listed.sandboxes.find((s) => s.tenant === 'pausy')?.state, 'suspended');

    const again = await chromium.connectOverCDP(url, { headers });
    assert.deepEqual(await readState(again, fixture.url), { cookie: 'sg=m1', storage: 'm1', memory: 'm1', pages: 1 });
    await again.close();
    assert.equal((await gw.backend.list()).find((s) => s.tenant === 'pausy')?.pids?.[0], info?.pids?.[0]);
  });

  test('persisted state (opt-in) keeps cookie and localStorage after the browser process was destroyed', async () => {
    const url = `${gw.ws}/cdp`;
    const headers = { [H]: 'keeper', 'X-Sandgate-Persist': '1' };
    const first = await chromium.connectOverCDP(url, { headers });
    await writeState(first, fixture.url, 'k1');
    await first.close();
    const pid = (await gw.backend.list()).find((s) => s.tenant === 'keeper')?.pids?.[0];
    assert.equal((await admin(gw, 'DELETE', '/v1/sandboxes/keeper')).status, 204);
    const again = await chromium.connectOverCDP(url, { headers: { [H]: 'keeper' } });
    assert.notEqual((await gw.backend.list()).find((s) => s.tenant === 'keeper')?.pids?.[0], pid, 'a new browser');
    assert.deepEqual(await readState(again, fixture.url), { cookie: 'sg=k1', storage: 'k1', memory: null, pages: 0 });
    await again.close();
  });

  test('without opting in nothing is kept', async () => {
    const url = `${gw.ws}/cdp`;
    const first = await chromium.connectOverCDP(url, { headers: { [H]: 'forgetful' } });
    await writeState(first, fixture.url, 'f1');
    await first.close();
    assert.equal((await admin(gw, 'DELETE', '/v1/sandboxes/forgetful')).status, 204);
    const again = await chromium.connectOverCDP(url, { headers: { [H]: 'forgetful' } });
    assert.deepEqual(await readState(again, fixture.url), { cookie: '', storage: null, memory: null, pages: 0 });
    await again.close();
  });
});
