/**
 * Restore's state proof: before the sandbox is suspended (or released) the bench writes a cookie, a
 * localStorage entry and a JS heap value (`window.__sg`) on the target origin and keeps the page open;
 * after reconnecting it checks which of them, and the open page itself, survived.
 */
import type { Page } from 'playwright-core';
import type { Capabilities } from '../backends/types.js';
import type { Protocol } from './options.js';
import type { Session } from './sample.js';
import type { StateCheck } from './types.js';

export const STATE_KEY = 'sg_bench';

/** The page globals the bench touches; typed here because the project compiles without the DOM lib. */
interface PageGlobals {
  localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  __sg?: string;
}

const ALL_STATE: Array<keyof StateCheck> = ['cookie', 'localStorage', 'memory', 'page'];

/**
 * The kinds of state the backend declares will survive what the restore cell does to it: a suspend keeps
 * `suspendKeeps` (all four when unspecified); a release keeps cookie + localStorage with persistentState.
 * Over the Playwright protocol nothing is declared: each connection sees only the contexts it created
 * (and they close with it), so no state can be observed across connections whatever the backend keeps.
 */
export function declaredState(
  caps: Partial<Pick<Capabilities, 'persistentState' | 'suspend' | 'suspendKeeps'>> | undefined,
  mode: 'suspend' | 'recreate',
  protocol: Protocol,
): Array<keyof StateCheck> {
  if (protocol !== 'cdp' || !caps) return [];
  if (mode === 'suspend') return caps.suspend ? [...(caps.suspendKeeps ?? ALL_STATE)] : [];
  return caps.persistentState ? ['cookie', 'localStorage'] : [];
}

/** Writes all three markers through the session's page, which must already show `target`. */
export async function writeState(s: Session, target: string, marker: string): Promise<void> {
  await s.context.addCookies([{ name: STATE_KEY, value: marker, url: target, expires: Math.floor(Date.now() / 1000) + 3600 }]);
  await s.page.evaluate(
    ({ key, value }) => {
      const g = globalThis as unknown as PageGlobals;
      g.localStorage.setItem(key, value);
      g.__sg = value;
    },
    { key: STATE_KEY, value: marker },
  );
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** A check that throws or hangs (a frozen page never answers evaluate) counts as "not survived". */
const CHECK_TIMEOUT_MS = 5000;

/** Rejects with code CLIENT_TIMEOUT when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} took longer than ${ms} ms`), { code: 'CLIENT_TIMEOUT' })), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function quietly<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await withTimeout(fn(), CHECK_TIMEOUT_MS, 'state check');
  } catch {
    return fallback;
  }
}

const readStorage = (page: Page): Promise<string | null> =>
  page.evaluate((key) => (globalThis as unknown as PageGlobals).localStorage.getItem(key), STATE_KEY);

/**
 * Which markers survived, seen through a fresh session whose own page (`s.page`) has just loaded
 * `target`: `page` = another open page on the target's origin exists; `memory` = that page still holds
 * `window.__sg`; `cookie` = any visible context has the cookie; `localStorage` = the entry is readable.
 */
export async function checkState(s: Session, target: string, marker: string): Promise<StateCheck> {
  const contexts = s.browser.contexts();
  const prior = contexts.flatMap((c) => c.pages()).find((p) => p !== s.page && sameOrigin(p.url(), target));
  const memory = prior
    ? await quietly(() => prior.evaluate(() => (globalThis as unknown as PageGlobals).__sg ?? null), null)
    : null;
  let cookie = false;
  for (const c of contexts) {
    const cookies = await quietly(() => c.cookies(target), []);
    if (cookies.some((k) => k.name === STATE_KEY && k.value === marker)) cookie = true;
  }
  const stored = [await quietly(() => readStorage(s.page), null), prior ? await quietly(() => readStorage(prior), null) : null];
  return { cookie, localStorage: stored.includes(marker), memory: memory === marker, page: prior !== undefined };
}
