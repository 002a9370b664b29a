/** Markdown rendering of bench cells: one row per (backend, scenario, concurrency), plus a
 *  one-line summary of the gateway's overhead against the direct (no gateway) baseline. */
import { PHASES } from '../types.js';
import type { BenchResult, Cell, Stats } from '../types.js';
import { STATE_KINDS } from './stats.js';

/** Shown in a cell that has no value. */
export const EMPTY = '–';

/** Escapes characters that would break a markdown table cell. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `312.4 (p95 340.1)`, or `–` when the phase was not measured. */
export function formatStats(stats: Stats | undefined): string {
  return stats === undefined ? EMPTY : `${stats.p50.toFixed(1)} (p95 ${stats.p95.toFixed(1)})`;
}

/** The short form of a label: `restore=recreate` → `recreate`. */
function labelTag(label: string): string {
  const eq = label.lastIndexOf('=');
  return eq >= 0 ? label.slice(eq + 1) : label;
}

/** `PASS`, `PASS (recreate)`, `FAIL: reason`, each followed by `, N failed` when runs failed. */
export function formatResult(cell: Cell): string {
  const tag = cell.label !== undefined ? ` (${labelTag(cell.label)})` : '';
  const verdict = cell.result === 'PASS' ? `PASS${tag}` : `FAIL${tag}: ${cell.reason ?? 'unknown reason'}`;
  return cell.failed > 0 ? `${verdict}, ${cell.failed} failed` : verdict;
}

/** `cookie 100% · localStorage 100% · memory 0% · page 0%`, or `–` for cells without state checks. */
export function formatState(state: Cell['state']): string {
  if (state === undefined) return EMPTY;
  return STATE_KINDS.map((kind) => `${kind} ${Math.round(state[kind] * 100)}%`).join(' · ');
}

function row(values: readonly string[]): string {
  return `| ${values.map(escapeCell).join(' | ')} |`;
}

/** A markdown table of `cells`, in the order given; the `state` column appears only if some cell has one. */
export function markdownTable(cells: readonly Cell[]): string {
  const withState = cells.some((c) => c.state !== undefined);
  const header = ['backend', 'scenario', 'conc', 'result', ...PHASES, ...(withState ? ['state'] : [])];
  const align = ['---', '---', '---:', '---', ...PHASES.map(() => '---:'), ...(withState ? ['---'] : [])];
  const body = cells.map((c) =>
    row([
      c.backend,
      c.scenario,
      String(c.concurrency),
      formatResult(c),
      ...PHASES.map((phase) => formatStats(c.phases[phase])),
      ...(withState ? [formatState(c.state)] : []),
    ]),
  );
  return [row(header), `| ${align.join(' | ')} |`, ...body].join('\n') + '\n';
}

/**
 * One sentence on the gateway's overhead: `overheadRatio` is the gateway's total_ms p50 divided by
 * the direct baseline's total_ms p50 (1.00 = no overhead).
 */
export function overheadLine(result: BenchResult): string {
  const { direct, overheadRatio } = result.baseline;
  const baseline = direct === undefined ? '' : ` (direct total_ms p50 ${direct.total_ms.p50.toFixed(1)} ms, p95 ${direct.total_ms.p95.toFixed(1)} ms)`;
  if (overheadRatio === undefined || !Number.isFinite(overheadRatio)) {
    return direct === undefined
      ? 'Gateway overhead vs direct: not measured (no direct baseline).'
      : `Gateway overhead vs direct: not computed${baseline}.`;
  }
  const pct = Math.round((overheadRatio - 1) * 100);
  const sign = pct >= 0 ? '+' : '−';
  return `Gateway overhead vs direct: ${overheadRatio.toFixed(2)}× total_ms p50 (${sign}${Math.abs(pct)}%)${baseline}.`;
}
