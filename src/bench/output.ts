/** Bench output: the Markdown report for stdout, and the files (result JSON, chart SVG and PNG). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { markdownTable, overheadLine } from './report/table.js';
import { renderSvg, svgToPngWithChromium } from './report/chart.js';
import type { BenchResult } from './types.js';

/** The table, the overhead line and one line per failed cell's error codes. */
export function report(result: BenchResult): string {
  const errors = result.cells
    .filter((c) => c.failed > 0)
    .map((c) => `- ${c.backend} ${c.scenario} c=${c.concurrency}: ${Object.entries(c.errors).map(([code, n]) => `${code} ×${n}`).join(', ')}`);
  const seconds = result.durationMs !== undefined ? ` in ${(result.durationMs / 1000).toFixed(1)} s` : '';
  const head = `sandgate bench: ${result.config.protocol}, ${result.config.runs} runs (+${result.config.warmup} warm-up) per cell${seconds}; ` +
    `Chromium ${result.machine.chromium}, ${result.machine.cpus} CPUs, Node ${result.machine.node}. Cells: ms p50 (p95).`;
  return [head, '', markdownTable(result.cells), overheadLine(result), ...(errors.length > 0 ? ['', 'Errors:', ...errors] : [])].join('\n') + '\n';
}

export interface WriteOptions {
  json?: string;
  outDir?: string;
  png: boolean;
  chromiumPath: string;
  warn(line: string): void;
}

async function writeJson(file: string, result: BenchResult): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(result, null, 2) + '\n');
}

/** Writes `--json FILE` and `--out DIR/{result.json,chart.svg,chart.png}`; returns the paths written. */
export async function writeOutputs(result: BenchResult, opts: WriteOptions): Promise<string[]> {
  const written: string[] = [];
  if (opts.json !== undefined) {
    await writeJson(opts.json, result);
    written.push(opts.json);
  }
  if (opts.outDir === undefined) return written;
  const json = join(opts.outDir, 'result.json');
  await writeJson(json, result);
  written.push(json);
  const svg = await renderSvg(result);
  const svgFile = join(opts.outDir, 'chart.svg');
  await writeFile(svgFile, svg);
  written.push(svgFile);
  if (opts.png) {
    const png = join(opts.outDir, 'chart.png');
    try {
      await svgToPngWithChromium(svg, png, opts.chromiumPath);
      written.push(png);
    } catch (err) {
      opts.warn(`chart.png not written (needs Chromium at ${opts.chromiumPath}): ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  return written;
}
