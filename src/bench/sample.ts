/**
 * One timed sample, exactly like the reference harness: t0 → connect → t1 → context + page → t2 →
 * goto(target, load) → t3. Nothing but the client calls runs between t0 and t3: the deadline timer is
 * armed before t0 and the result is assembled after t3.
 */
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { round1 } from './report/stats.js';
import { errorCode, errorMessage } from './error-code.js';
import type { Protocol } from './options.js';
import type { Phase } from './types.js';

/** Where and how one client connects: a WebSocket URL plus the identity headers. */
export interface ClientConn {
  url: string;
  headers: Record<string, string>;
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** True when the context is the browser's default one (CDP), which outlives the connection. */
  defaultContext: boolean;
}

export interface SampleOptions {
  protocol: Protocol;
  target: string;
  timeoutMs: number;
  /**
   * Sandboxes without a network (local-gvisor) cannot load the loopback fixture: the client then
   * answers the page's requests itself (page.route, set up inside newPage_ms).
   */
  clientServedHtml?: string;
}

export interface SampleOutcome {
  ok: boolean;
  phases: Partial<Record<Phase, number>>;
  error?: string;
  errorMessage?: string;
  /** Open on success; the caller closes it with closeSession. */
  session?: Session;
}

function connect(conn: ClientConn, protocol: Protocol, timeout: number): Promise<Browser> {
  return protocol === 'cdp'
    ? chromium.connectOverCDP(conn.url, { headers: conn.headers, timeout })
    : chromium.connect(conn.url, { headers: conn.headers, timeout });
}

/** Runs one sample and leaves the session open (or closed, with the error code, on failure). */
export async function timedSample(conn: ClientConn, opts: SampleOptions): Promise<SampleOutcome> {
  let browser: Browser | undefined;
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    void browser?.close().catch(() => undefined);
  }, opts.timeoutMs);
  let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  let context: BrowserContext | undefined;
  let existing: BrowserContext | undefined;
  let page: Page | undefined;
  let failure: unknown;
  try {
    t0 = performance.now();
    browser = await connect(conn, opts.protocol, opts.timeoutMs);
    t1 = performance.now();
    existing = opts.protocol === 'cdp' ? browser.contexts()[0] : undefined;
    context = existing ?? (await browser.newContext());
    page = await context.newPage();
    const html = opts.clientServedHtml;
    if (html !== undefined) await page.route('**/*', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    t2 = performance.now();
    await page.goto(opts.target, { waitUntil: 'load', timeout: opts.timeoutMs });
    t3 = performance.now();
  } catch (err) {
    failure = err;
  } finally {
    clearTimeout(deadline);
  }
  const phases: Partial<Record<Phase, number>> = {};
  if (t1 > 0) phases.connect_ms = round1(t1 - t0);
  if (t2 > 0) phases.newPage_ms = round1(t2 - t1);
  if (t3 > 0) {
    phases.goto_ms = round1(t3 - t2);
    phases.total_ms = round1(t3 - t0);
  }
  if (failure !== undefined || !browser || !context || !page) {
    if (browser) await closeSession({ browser, ...(page ? { page } : {}), defaultContext: opts.protocol === 'cdp' });
    return { ok: false, phases, error: errorCode(failure, timedOut), errorMessage: errorMessage(failure) };
  }
  return { ok: true, phases, session: { browser, context, page, defaultContext: existing !== undefined } };
}

/**
 * Closes the connection. A page in the CDP default context would outlive it, so it is closed first
 * (unless `keepPage`): otherwise every warm run would leave a tab behind in the tenant's browser.
 */
export async function closeSession(s: { browser: Browser; page?: Page; defaultContext?: boolean }, keepPage = false): Promise<void> {
  if (s.defaultContext && s.page && !keepPage) await s.page.close().catch(() => undefined);
  await s.browser.close().catch(() => undefined);
}
