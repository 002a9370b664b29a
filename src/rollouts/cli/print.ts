/** Human-readable output of `rollouts analyze` and `rollouts eval`. */
import type { AnalysisResult } from '../analysis/analyzer.js';
import type { EvalReport } from '../eval/run.js';

export function formatResult(r: AnalysisResult): string {
  const d = r.decision;
  const lines = [
    `${d.verdict.toUpperCase()}  score ${d.score.toFixed(2)}  confidence ${d.confidence}  (${r.target.namespace}/${r.target.rollout}, ${r.durationMs} ms)`,
    `summary: ${d.summary}`,
    ...(d.suspectedCause ? [`suspected cause: ${d.suspectedCause}`] : []),
    ...d.judgements.map((j) => `  ${j.judge.padEnd(11)} score ${j.score.toFixed(2)} confidence ${j.confidence}${j.failure ? ` FAILED ${j.failure.code}` : ''}`),
    ...d.judgements.flatMap((j) => j.evidence.map((e) => `  - ${e}`)),
    ...(r.evidence ? [`pods: ${r.evidence.pods.map((p) => `${p.side}/${p.name}`).join(', ')}`, `templates: ${r.evidence.templates.length}`] : []),
    ...(r.heal ? [`issue: ${r.heal.action}${r.heal.issue ? ` ${r.heal.issue.url}` : ''}${r.heal.detail ? ` (${r.heal.detail})` : ''}`] : []),
  ];
  return lines.join('\n') + '\n';
}

export function formatEval(report: EvalReport): string {
  const rows = Object.entries(report.judges).map(([name, s]) => `| ${name} | ${s.accuracy} | ${s.precision} | ${s.recall} | ${s.falsePromotes} | ${s.inconclusive} | ${s.n} |`);
  const wrong = report.cases.flatMap((c) => (['statistical', 'llm', 'combined'] as const).flatMap((j) => {
    const v = c[j]?.verdict;
    const ok = v === undefined || (c.expected === 'promote' ? v === 'promote' : v !== 'promote');
    return ok ? [] : [`  ${j}: ${c.id} expected ${c.expected}, got ${v} — ${c[j]?.summary ?? ''}`];
  }));
  return ['| judge | accuracy | precision | recall | falsePromotes | inconclusive | n |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows, '', wrong.length ? 'misjudged:' : 'no case misjudged', ...wrong, ''].join('\n');
}
