/** Bench chart: a vega-lite grouped bar chart of total_ms p50 (tick at p95) per scenario and backend,
 *  rendered to SVG headlessly in Node (vega renderer 'none'), and optionally to PNG with Chromium. */
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { View, parse } from 'vega';
import { chromium } from 'playwright-core';
import type { BenchResult, Cell } from '../types.js';

/** One bar of the chart. */
export interface ChartRow {
  scenario: string;
  backend: string;
  concurrency: number;
  p50: number;
  p95: number;
}

/** Chromium flags for a quiet, sandbox-less headless run (same set as the bench uses). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
] as const;

/** The chart's data: cells that measured total_ms, in result order. */
export function chartRows(cells: readonly Cell[]): ChartRow[] {
  return cells.flatMap((c) => {
    const total = c.phases.total_ms;
    if (total === undefined) return [];
    return [{ scenario: c.scenario, backend: c.backend, concurrency: c.concurrency, p50: total.p50, p95: total.p95 }];
  });
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

type LayerSpec = Extract<TopLevelSpec, { layer: unknown }>;
type FacetSpec = Extract<TopLevelSpec, { facet: unknown }>;

/** The bar (p50) + tick (p95) layers shared by the plain and the faceted chart. */
function barLayers(scenarios: readonly string[]): LayerSpec['layer'] {
  const x = { field: 'scenario', type: 'nominal', sort: [...scenarios], title: 'scenario', axis: { labelAngle: 0 } } as const;
  const xOffset = { field: 'backend', type: 'nominal' } as const;
  return [
    {
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x, xOffset,
        y: { field: 'p50', type: 'quantitative', title: 'total_ms (bar p50, tick p95)' },
        color: { field: 'backend', type: 'nominal', title: 'backend' },
      },
    },
    {
      mark: { type: 'tick', color: 'black', thickness: 2 },
      encoding: { x, xOffset, y: { field: 'p95', type: 'quantitative' } },
    },
  ];
}

/** The vega-lite spec; faceted into columns by concurrency only when the result has several levels. */
export function chartSpec(result: BenchResult): TopLevelSpec {
  const rows = chartRows(result.cells);
  const scenarios = distinct(rows.map((r) => r.scenario));
  const levels = distinct(rows.map((r) => r.concurrency));
  const title = `sandgate bench: total_ms by scenario (${result.config.protocol}, ${result.config.runs} runs)`;
  const data = { values: rows.map((r) => ({ ...r })) };
  const backends = distinct(rows.map((r) => r.backend));
  const size = { width: { step: Math.max(48, 24 * backends.length) }, height: 280 };
  const layer = barLayers(scenarios);
  if (levels.length <= 1) return { title, data, ...size, layer } satisfies LayerSpec;
  return {
    title,
    data,
    facet: { column: { field: 'concurrency', type: 'ordinal', title: 'concurrency' } },
    spec: { ...size, layer },
  } satisfies FacetSpec;
}

/** Compiles the chart with vega-lite and renders it to an SVG string with vega, without a canvas. */
export async function renderSvg(result: BenchResult): Promise<string> {
  const vgSpec = compile(chartSpec(result)).spec;
  const view = new View(parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Screenshots `svg` to a PNG at `outFile` with headless Chromium at `executablePath`. */
export async function svgToPngWithChromium(svg: string, outFile: string, executablePath: string): Promise<void> {
  const browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    await page.locator('body > svg').first().screenshot({ path: outFile });
  } finally {
    await browser.close();
  }
}
