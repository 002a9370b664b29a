/**
 * A rule-of-thumb "model" for the fake LLM servers: it reads the same compact evidence a real model
 * gets and answers the verdict JSON. It stands in for a model in plumbing tests (and follows
 * extraPrompt's "Ignore color changes."); it is not a judge of record.
 */
import type { Brain, Prompt } from './fake-llm.js';

interface Side {
  lines: number;
  bad: number;
  panics: number;
  restarts: number;
}

function side(text: string, name: 'stable' | 'canary'): Side {
  const re = new RegExp(`${name} +\\S+: lines=(\\d+) errors=(\\d+) exceptions=(\\d+) panics=(\\d+) warnings=\\d+ restarts=(\\d+)`, 'g');
  const out = { lines: 0, bad: 0, panics: 0, restarts: 0 };
  for (const m of text.matchAll(re)) {
    const [lines, errors, exceptions, panics, restarts] = m.slice(1).map(Number) as [number, number, number, number, number];
    out.lines += lines;
    out.bad += errors + exceptions + panics;
    out.panics += panics;
    out.restarts += restarts;
  }
  return out;
}

function section(text: string, head: string, next: string): string {
  const start = text.indexOf(head);
  if (start < 0) return '';
  const end = text.indexOf(next, start);
  return text.slice(start, end < 0 ? undefined : end);
}

export function heuristicVerdict(p: Prompt): { promote: boolean; confidence: number; summary: string; evidence: string[]; suspectedCause: string } {
  const s = side(p.user, 'stable');
  const c = side(p.user, 'canary');
  const fresh = section(p.user, 'Templates new in canary', 'Metrics:');
  const metrics = section(p.user, 'Metrics:', '--- STABLE LOGS ---');
  const no = (confidence: number, summary: string, cause: string) => ({ promote: false, confidence, summary, evidence: [summary], suspectedCause: cause });
  if (c.panics > 0 || c.restarts > s.restarts) return no(90, `canary panics (${c.panics}) / restarts (${c.restarts})`, 'the new build crashes (panic)');
  const rate = (x: Side) => (x.lines > 0 ? x.bad / x.lines : 0);
  if (rate(c) > rate(s) * 2 + 0.01) return no(80, `canary error rate ${rate(c).toFixed(3)} vs ${rate(s).toFixed(3)}`, 'more requests fail in the new build');
  for (const m of metrics.matchAll(/ {2}(\w+) \(.*?\): stable median ([\d.e+-]+) .*?canary median ([\d.e+-]+)/g)) {
    if (Number(m[3]) > Number(m[2]) * 1.3) return no(75, `${m[1] ?? 'metric'} worse in canary`, `${m[1] ?? 'metric'} regressed`);
  }
  for (const m of fresh.matchAll(/\[(\d+)× in \d+ pod\(s\)\] (?:error|exception|panic): (.*)/g)) {
    if (Number(m[1]) >= 10) return no(60, `new error in canary: ${m[2] ?? ''}`, 'a new error appears in the canary');
  }
  const colours = (text: string) => new Set(text.match(/\b(?:red|orange|yellow|green|blue|purple)\b/g) ?? []);
  const stableColours = colours(section(p.user, '--- STABLE LOGS ---', '--- CANARY LOGS ---'));
  const changed = [...colours(fresh)].some((c) => !stableColours.has(c));
  if (changed && !/ignore colou?r/i.test(p.user)) return no(55, 'the canary answers a different colour', 'behaviour change: colour');
  return { promote: true, confidence: 85, summary: 'canary looks as healthy as stable', evidence: ['no new errors'], suspectedCause: '' };
}

export const heuristicBrain: Brain = (p) => JSON.stringify(heuristicVerdict(p));
