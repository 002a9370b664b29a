/**
 * `rollouts eval`: every corpus case goes through the real pipeline (in-memory pods → collection,
 * redaction, folding → judges → decision) and each judge is scored.
 */
import type { MetricSpec, RolloutsConfig } from '../config/schema.js';
import { gatherEvidence } from '../analysis/gather.js';
import { DEFAULT_METRICS, type MetricsSource } from '../evidence/prometheus.js';
import { HASH_LABEL } from '../evidence/select.js';
import { decide } from '../judge/decide.js';
import { judgeWithLlm } from '../judge/llm.js';
import { judgeStatistically } from '../judge/statistical.js';
import type { Decision } from '../judge/types.js';
import type { RetryOptions } from '../llm/retry.js';
import type { LlmClient } from '../llm/types.js';
import { MemoryKube } from '../kube/memory.js';
import { generateCorpus, type CorpusCase } from './corpus.js';
import { scoreJudge, type JudgeScore } from './score.js';

type JudgeKey = 'statistical' | 'llm' | 'combined';
type Brief = { verdict: Decision['verdict']; score: number; confidence: number; summary: string };

export interface EvalReport {
  judges: { statistical: JudgeScore; llm?: JudgeScore; combined?: JudgeScore };
  cases: Array<{ id: string; kind: string; expected: string; description: string } & Partial<Record<JudgeKey, Brief>>>;
}

export interface EvalOptions {
  cfg: RolloutsConfig;
  llm?: LlmClient | undefined;
  cases?: CorpusCase[];
  sleep?: RetryOptions['sleep'];
  onCase?: (id: string, done: number, total: number) => void;
}

function seriesSource(c: CorpusCase): MetricsSource {
  return { range: async (spec: MetricSpec, scope) => c.metrics?.[spec.name]?.[scope.side] ?? [] };
}

const brief = (d: Decision): Brief => ({ verdict: d.verdict, score: Math.round(d.score * 1000) / 1000, confidence: d.confidence, summary: d.summary });

export async function runEval(o: EvalOptions): Promise<EvalReport> {
  const cases = o.cases ?? generateCorpus();
  const t = { promote: o.cfg.promoteThreshold, rollback: o.cfg.rollbackThreshold };
  const rows: EvalReport['cases'] = [];
  for (const [i, c] of cases.entries()) {
    const target = { namespace: 'default', rollout: 'rollouts-demo', stableSelector: `${HASH_LABEL}=${c.hashes.stable}`, canarySelector: `${HASH_LABEL}=${c.hashes.canary}` };
    const ev = await gatherEvidence(new MemoryKube(c.pods), seriesSource(c), target, c.hashes, {
      tailLines: o.cfg.tailLines, sinceSeconds: 0, limitBytes: o.cfg.maxLogBytes, previousLogs: o.cfg.previousLogs,
      metrics: c.metrics ? DEFAULT_METRICS : [], stepSeconds: 30, now: () => Date.UTC(2025, 0, 15, 10, 15),
    });
    const stat = judgeStatistically(ev);
    const row: EvalReport['cases'][number] = { id: c.id, kind: c.kind, expected: c.expected, description: c.description, statistical: brief(decide('statistical', t, stat)) };
    if (o.llm) {
      const retry = { retries: o.cfg.llmRetries, timeoutMs: o.cfg.llmTimeout, ...(o.sleep ? { sleep: o.sleep } : {}) };
      const llm = await judgeWithLlm(o.llm, ev, { extraPrompt: c.extraPrompt ?? o.cfg.extraPrompt, maxEvidenceChars: o.cfg.maxEvidenceChars, retry });
      row.llm = brief(decide('llm', t, stat, llm));
      row.combined = brief(decide('combined', t, stat, llm));
    }
    rows.push(row);
    o.onCase?.(c.id, i + 1, cases.length);
  }
  const scoreOf = (k: JudgeKey) => scoreJudge(rows.flatMap((r) => (r[k] ? [{ expected: r.expected as 'promote' | 'rollback', verdict: (r[k] as Brief).verdict }] : [])));
  return { judges: { statistical: scoreOf('statistical'), ...(o.llm ? { llm: scoreOf('llm'), combined: scoreOf('combined') } : {}) }, cases: rows };
}
