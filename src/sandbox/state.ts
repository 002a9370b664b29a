/**
 * Browser state export/import for persistence across sandbox incarnations: cookies and
 * localStorage of the browser's default context (the one CDP clients share), in Playwright's
 * storageState shape. Uses the runtime's own CDP endpoint.
 */
import { chromium, type BrowserContext } from 'playwright-core';

export interface StoredState {
  cookies: Array<Parameters<BrowserContext['addCookies']>[0][number]>;
  origins: Array<{ origin: string; localStorage: Array<{ name: string; value: string }> }>;
}

async function withDefaultContext<T>(cdpUrl: string, fn: (context: BrowserContext) => Promise<T>): Promise<T> {
  const browser = await chromium.connectOverCDP(cdpUrl);
  try {
    const context = browser.contexts()[0];
    if (!context) throw new Error('browser has no default context');
    return await fn(context);
  } finally {
    // Disconnects this client only; the browser and its pages stay.
    await browser.close();
  }
}

/**
 * Cookies of the whole context; localStorage of every origin Playwright tracked plus every origin
 * shown in an open page (pages opened by earlier clients are not tracked by Playwright).
 */
export function exportState(cdpUrl: string): Promise<StoredState> {
  return withDefaultContext(cdpUrl, async (context) => {
    const state = await context.storageState();
    const origins = new Map(state.origins.map((o) => [o.origin, o.localStorage]));
    for (const page of context.pages()) {
      const origin = new URL(page.url()).origin;
      if (origin === 'null' || origins.has(origin)) continue;
      const items = await page
        .evaluate(() => {
          const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } }).localStorage;
          const out: Array<{ name: string; value: string }> = [];
          for (let i = 0; i < storage.length; i++) {
            const name = storage.key(i);
            if (name !== null) out.push({ name, value: storage.getItem(name) ?? '' });
          }
          return out;
        })
        .catch(() => []);
      if (items.length > 0) origins.set(origin, items);
    }
    return { cookies: state.cookies, origins: [...origins].map(([origin, localStorage]) => ({ origin, localStorage })) };
  });
}

/** Restores cookies directly and localStorage by loading each origin in a page whose requests are answered locally. */
export function importState(cdpUrl: string, state: StoredState): Promise<void> {
  return withDefaultContext(cdpUrl, async (context) => {
    if (state.cookies.length > 0) await context.addCookies(state.cookies);
    if (state.origins.length === 0) return;
    const page = await context.newPage();
    try {
      await page.route('**/*', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html>' }));
      for (const { origin, localStorage } of state.origins) {
        await page.goto(origin);
        await page.evaluate((items) => {
          const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
          for (const { name, value } of items) storage.setItem(name, value);
        }, localStorage);
      }
    } finally {
      await page.close();
    }
  });
}
