/**
 * Scores of one judge over the corpus. Positive class = "this canary must not be promoted".
 * A verdict other than promote counts as predicted positive (Inconclusive pauses the rollout), so
 * falsePromotes = bad canaries that were promoted (= false negatives).
 */
import type { Verdict } from '../judge/types.js';

export interface JudgeScore {
  accuracy: number;
  precision: number;
  recall: number;
  falsePromotes: number;
  inconclusive: number;
  n: number;
}

export function scoreJudge(rows: ReadonlyArray<{ expected: 'promote' | 'rollback'; verdict: Verdict }>): JudgeScore {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const r of rows) {
    const bad = r.expected === 'rollback';
    const stopped = r.verdict !== 'promote';
    if (bad && stopped) tp++;
    else if (!bad && stopped) fp++;
    else if (!bad && !stopped) tn++;
    else fn++;
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);
  return {
    accuracy: ratio(tp + tn, rows.length),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    falsePromotes: fn,
    inconclusive: rows.filter((r) => r.verdict === 'inconclusive').length,
    n: rows.length,
  };
}
