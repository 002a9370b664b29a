/**
 * Gateway overhead, measured in one run against the same sandbox: the same Playwright client
 * goes straight to the sandbox runtime ("direct") and through the gateway, interleaved so that
 * machine noise hits both sides alike. Also: gateway heap per idle session.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { chromium, type Page } from 'playwright-core';
import { summarize } from '../report/stats.js';
import type { Stats } from '../types.js';

export interface OverheadTargets {
  direct: string;
  gateway: string;
  headers: Record<string, string>;
  target: string;
}

export interface PairStats {
  direct: Stats;
  gateway: Stats;
  /** gateway p50 / direct p50 */
  ratio: number;
}

function pair(direct: number[], gateway: number[]): PairStats {
  const d = summarize(direct);
  const g = summarize(gateway);
  return { direct: d, gateway: g, ratio: Math.round((g.p50 / d.p50) * 1000) / 1000 };
}

async function connectPageGoto(url: string, t: OverheadTargets): Promise<number> {
  const t0 = performance.now();
  const browser = await chromium.connect(url, { headers: t.headers });
  const page = await (await browser.newContext()).newPage();
  await page.goto(t.target, { waitUntil: 'load' });
  const ms = performance.now() - t0;
  await browser.close();
  return ms;
}

/** connect + newContext/newPage + goto, alternating direct and gateway (order flipped every run). */
export async function measureSessionStart(t: OverheadTargets, runs: number, warmup: number, progress: (s: string) => void): Promise<PairStats> {
  const direct: number[] = [];
  const gateway: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const order: Array<[string, number[]]> = i % 2 === 0 ? [[t.direct, direct], [t.gateway, gateway]] : [[t.gateway, gateway], [t.direct, direct]];
    for (const [url, out] of order) {
      const ms = await connectPageGoto(url, t);
      if (i >= warmup) out.push(ms);
    }
    if (i >= warmup) progress(`session start ${i - warmup + 1}/${runs}: direct ${direct.at(-1)?.toFixed(1)} ms, gateway ${gateway.at(-1)?.toFixed(1)} ms`);
  }
  return pair(direct, gateway);
}

async function openPage(url: string, t: OverheadTargets): Promise<{ page: Page; close: () => Promise<void> }> {
  const browser = await chromium.connect(url, { headers: t.headers });
  const page = await (await browser.newContext()).newPage();
  await page.goto(t.target, { waitUntil: 'load' });
  return { page, close: () => browser.close() };
}

/** page.evaluate round trips on one page per side, in alternating blocks. */
export async function measureRoundTrips(t: OverheadTargets, total: number, block: number): Promise<PairStats> {
  const d = await openPage(t.direct, t);
  const g = await openPage(t.gateway, t);
  const direct: number[] = [];
  const gateway: number[] = [];
  const run = async (page: Page, out: number[] | undefined) => {
    for (let i = 0; i < block; i++) {
      const t0 = performance.now();
      await page.evaluate('1 + 1');
      out?.push(performance.now() - t0);
    }
  };
  await run(d.page, undefined);
  await run(g.page, undefined);
  for (let done = 0; done < total; done += block) {
    await run(d.page, direct);
    await run(g.page, gateway);
  }
  await d.close();
  await g.close();
  return pair(direct, gateway);
}

/** Forces a full GC (no --expose-gc needed) and returns heap (minus JIT code) + external bytes in use. */
export function settledMemory(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  // JIT code is not per-session state: leave the code space out.
  const code = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'code_space')?.space_used_size ?? 0;
  const m = process.memoryUsage();
  return m.heapUsed - code + m.external;
}
