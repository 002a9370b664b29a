/** Wires the analyzer from configuration: Kubernetes, Prometheus, LLM, GitHub healer. Tests override parts. */
import { pino, type Logger } from 'pino';
import { Analyzer, type AnalyzerDeps } from './analysis/analyzer.js';
import type { RolloutsConfig } from './config/schema.js';
import { PrometheusSource } from './evidence/prometheus.js';
import { OctokitTracker } from './heal/github.js';
import { IssueHealer } from './heal/healer.js';
import { ClientNodeKube } from './kube/client-node.js';
import { createLlm } from './llm/factory.js';

export function createRolloutsLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { svc: 'sandgate-rollouts' }, redact: { paths: ['token', 'authorization', 'headers.authorization', 'apiKey'], censor: '[redacted]' } }, destination ?? pino.destination({ fd: 2, sync: false }));
}

export function createAnalyzer(cfg: RolloutsConfig, overrides: Partial<AnalyzerDeps> = {}, print: (s: string) => void = (s) => void process.stdout.write(s + '\n')): Analyzer {
  const llm = 'llm' in overrides ? overrides.llm : createLlm(cfg);
  const tracker = cfg.githubRepo && cfg.githubToken ? new OctokitTracker({ token: cfg.githubToken, repo: cfg.githubRepo, baseUrl: cfg.githubApiUrl }) : undefined;
  const healer =
    'healer' in overrides
      ? overrides.healer
      : cfg.githubRepo || cfg.dryRun
        ? new IssueHealer({ tracker, llm, labels: cfg.issueLabels, assignee: cfg.issueAssignee, dryRun: cfg.dryRun || !tracker, retry: { retries: cfg.llmRetries, timeoutMs: cfg.llmTimeout }, print })
        : undefined;
  return new Analyzer(cfg, {
    kube: overrides.kube ?? new ClientNodeKube(),
    metrics: 'metrics' in overrides ? overrides.metrics : cfg.prometheusUrl ? new PrometheusSource(cfg.prometheusUrl) : undefined,
    llm,
    healer,
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
  });
}
