/**
 * One analysis: select pods → collect evidence → statistical (+ LLM) judgement → decision → on
 * rollback, the self-healing loop. Any failure before a decision yields Inconclusive (fail closed).
 */
import type { RolloutsConfig } from '../config/schema.js';
import { toRolloutError } from '../errors.js';
import { DEFAULT_METRICS, type MetricsSource } from '../evidence/prometheus.js';
import { selectorsFor } from '../evidence/select.js';
import type { Evidence, Target } from '../evidence/types.js';
import type { HealOutcome, Healer } from '../heal/types.js';
import { decide } from '../judge/decide.js';
import { judgeWithLlm } from '../judge/llm.js';
import { judgeStatistically } from '../judge/statistical.js';
import type { Decision } from '../judge/types.js';
import type { RolloutsKube } from '../kube/types.js';
import type { RetryOptions } from '../llm/retry.js';
import { deadline, raceAbort } from '../util/deadline.js';
import type { LlmClient } from '../llm/types.js';
import { gatherEvidence } from './gather.js';
import type { AnalysisRequest } from './request.js';

export interface AnalyzerDeps {
  kube: RolloutsKube;
  metrics?: MetricsSource | undefined;
  llm?: LlmClient | undefined;
  healer?: Healer | undefined;
  now?: () => number;
  /** Backoff sleep for LLM retries (tests inject one that does not wait). */
  sleep?: RetryOptions['sleep'];
}

export interface AnalysisResult {
  target: Target;
  decision: Decision;
  startedAt: string;
  durationMs: number;
  /** Present when evidence was collected; kept in memory, never sent back by the endpoints. */
  evidence?: Evidence;
  heal?: HealOutcome;
}

export function failedDecision(err: unknown): Decision {
  const e = toRolloutError(err);
  return { verdict: 'inconclusive', score: 0.5, confidence: 0, summary: `analysis failed (${e.code}): ${e.message}`, suspectedCause: '', causeKey: '', judgements: [] };
}

export class Analyzer {
  private readonly now: () => number;

  constructor(private readonly cfg: RolloutsConfig, private readonly deps: AnalyzerDeps) {
    this.now = deps.now ?? Date.now;
  }

  targetFor(req: AnalysisRequest): Target {
    const selectors = selectorsFor(req, this.cfg);
    return { namespace: req.namespace ?? this.cfg.namespace, rollout: req.rollout ?? 'canary', stableSelector: selectors.stable, canarySelector: selectors.canary };
  }

  /** Judges evidence that is already collected (eval corpus, A2A evidence requests). */
  async judge(ev: Evidence, extraPrompt: string | undefined, signal?: AbortSignal): Promise<Decision> {
    const stat = judgeStatistically(ev);
    const useLlm = this.cfg.judge !== 'statistical' && this.deps.llm !== undefined;
    const llm = useLlm && this.deps.llm
      ? await judgeWithLlm(this.deps.llm, ev, {
          extraPrompt: extraPrompt ?? this.cfg.extraPrompt,
          maxEvidenceChars: this.cfg.maxEvidenceChars,
          retry: { retries: this.cfg.llmRetries, timeoutMs: this.cfg.llmTimeout, ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}) },
          ...(signal ? { signal } : {}),
        })
      : undefined;
    return decide(this.cfg.judge, { promote: this.cfg.promoteThreshold, rollback: this.cfg.rollbackThreshold }, stat, llm);
  }

  async analyze(req: AnalysisRequest, signal?: AbortSignal): Promise<AnalysisResult> {
    const started = this.now();
    const limit = deadline(Math.max(1, this.cfg.analysisTimeout));
    const abort = signal ? AbortSignal.any([signal, limit.signal]) : limit.signal;
    let target: Target = { namespace: req.namespace ?? this.cfg.namespace, rollout: req.rollout ?? 'canary', stableSelector: '', canarySelector: '' };
    let decision: Decision;
    let evidence: Evidence | undefined;
    try {
      target = this.targetFor(req);
      const hashes = { stable: req.stableHash ?? '', canary: req.canaryHash ?? '' };
      const specs = this.cfg.metrics.length > 0 ? this.cfg.metrics : this.cfg.prometheusUrl ? DEFAULT_METRICS : [];
      const options = { tailLines: this.cfg.tailLines, sinceSeconds: Math.round(this.cfg.since / 1000), limitBytes: this.cfg.maxLogBytes, previousLogs: this.cfg.previousLogs, metrics: specs, stepSeconds: Math.round(this.cfg.metricsStep / 1000), now: this.now };
      evidence = await raceAbort(gatherEvidence(this.deps.kube, this.deps.metrics, target, hashes, options), abort);
      decision = await raceAbort(this.judge(evidence, req.extraPrompt, abort), abort);
    } catch (err) {
      decision = failedDecision(err);
    } finally {
      limit.clear();
    }
    const result: AnalysisResult = { target, decision, startedAt: new Date(started).toISOString(), durationMs: this.now() - started, ...(evidence ? { evidence } : {}) };
    if (decision.verdict === 'rollback' && this.deps.healer) {
      result.heal = await this.deps.healer.onRollback(result).catch((err: unknown) => ({ action: 'failed' as const, fingerprint: '', detail: toRolloutError(err).message }));
    }
    return result;
  }
}
