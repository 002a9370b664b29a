/**
 * Folds the redacted lines of every pod of both sides into templates with counts, and counts
 * panics / exceptions / errors / warnings per pod. Raw lines never leave this module unredacted.
 */
import { classify, isErrorKind, worse } from './classify.js';
import { MAX_DURATION_SAMPLES, durationMs } from './durations.js';
import { redact } from './redact.js';
import { maskLine } from './template.js';
import type { LineKind, LogTemplate, PodEvidence, Side } from './types.js';

/** Distinct templates kept per analysis; the rest are counted under one overflow template. */
export const MAX_TEMPLATES = 5000;
const OVERFLOW = '<more distinct lines than the template cap>';
const EXAMPLE_CHARS = 300;

interface Entry extends LogTemplate {
  podSet: Record<Side, Set<string>>;
}

export class LogFolder {
  private readonly entries = new Map<string, Entry>();
  /** Request durations (ms) found in the lines of each side. */
  readonly durations: Record<Side, number[]> = { stable: [], canary: [] };

  /** Adds one container log (text as returned by the API) of `pod` and updates its counters. */
  addLog(pod: PodEvidence, text: string): void {
    let previous: LineKind | undefined;
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') continue;
      const clean = redact(line);
      const kind = classify(clean, previous);
      previous = kind;
      if (kind !== 'trace') pod.lines++;
      if (kind === 'panic') pod.panic++;
      else if (kind === 'exception') pod.exception++;
      else if (kind === 'error') pod.error++;
      else if (kind === 'warn') pod.warn++;
      this.add(pod.side, pod.name, clean, kind);
      const ms = kind === 'trace' ? undefined : durationMs(clean);
      if (ms !== undefined && this.durations[pod.side].length < MAX_DURATION_SAMPLES) this.durations[pod.side].push(ms);
    }
  }

  private add(side: Side, podName: string, clean: string, kind: LineKind): void {
    let key = maskLine(clean);
    if (!this.entries.has(key) && this.entries.size >= MAX_TEMPLATES) key = OVERFLOW;
    let entry = this.entries.get(key);
    if (!entry) {
      const example = clean.length > EXAMPLE_CHARS ? clean.slice(0, EXAMPLE_CHARS) + '…' : clean;
      entry = { template: key, kind, count: { stable: 0, canary: 0 }, pods: { stable: 0, canary: 0 }, example, podSet: { stable: new Set(), canary: new Set() } };
      this.entries.set(key, entry);
    }
    entry.kind = worse(entry.kind, kind);
    entry.count[side]++;
    entry.podSet[side].add(podName);
  }

  templates(): LogTemplate[] {
    return [...this.entries.values()]
      .map(({ podSet, ...t }) => ({ ...t, pods: { stable: podSet.stable.size, canary: podSet.canary.size } }))
      .sort((a, b) => b.count.canary + b.count.stable - (a.count.canary + a.count.stable));
  }
}

export function emptyPod(name: string, side: Side): PodEvidence {
  return { name, side, lines: 0, panic: 0, exception: 0, error: 0, warn: 0, restarts: 0, containers: [], unreadable: [] };
}

/** Templates seen in canary and never in stable, worst first. */
export function newInCanary(templates: readonly LogTemplate[]): LogTemplate[] {
  const rank = (t: LogTemplate) => (isErrorKind(t.kind) ? 1 : 0);
  return templates.filter((t) => t.count.canary > 0 && t.count.stable === 0).sort((a, b) => rank(b) - rank(a) || b.count.canary - a.count.canary);
}
