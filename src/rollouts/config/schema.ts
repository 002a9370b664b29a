/**
 * The rollout analyzer's configuration schema. Env names are SANDGATE_ROLLOUTS_<SNAKE_CASE>, flags
 * --kebab-case; docs/rollouts.md carries the reference table generated from these descriptions.
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';

const duration = (d: string) => z.preprocess((v) => parseDuration(v) ?? v, z.number().int().nonnegative()).describe(d);
const count = (d: string) => z.coerce.number().int().nonnegative().describe(d);
const ratio = (d: string) => z.coerce.number().min(0).max(1).describe(d);
const bool = (d: string) => z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean()).describe(d);
const list = (d: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : v), z.array(z.string())).describe(d);

export const metricSpec = z
  .object({
    name: z.string().regex(/^[a-zA-Z][\w-]{0,62}$/),
    query: z.string().min(1),
    /** Which direction is bad: a canary value `higher` (latency, errors) or `lower` (throughput) than stable. */
    worse: z.enum(['higher', 'lower']).default('higher'),
    critical: z.boolean().default(false),
    /** Relative change tolerated before a significant difference counts (0.1 = 10 %). */
    tolerance: z.number().min(0).default(0.1),
  })
  .strict();
export type MetricSpec = z.infer<typeof metricSpec>;

function parseJsonList(text: string): unknown {
  if (text.trim() === '') return [];
  try {
    return JSON.parse(text);
  } catch {
    return text; // reported by zod as "expected array"
  }
}

const metricList = z
  .preprocess((v) => (typeof v === 'string' ? parseJsonList(v) : v), z.array(metricSpec))
  .describe('Prometheus metrics compared per side (JSON or YAML list of {name, query, worse, critical, tolerance}); empty = error rate (critical) and p95 latency when prometheusUrl is set.');

export const LLM_PROVIDERS = ['none', 'gemini', 'openai', 'ollama', 'a2a'] as const;
export const JUDGES = ['statistical', 'llm', 'combined'] as const;

export const rolloutsShape = {
  listen: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected HOST:PORT').describe('`rollouts serve` listener (Argo web provider, Flagger webhook, A2A agent).'),
  publicUrl: z.string().describe('URL clients use to reach this service (A2A agent card); empty = http://<listen>.'),
  authToken: z.string().describe('When set, every request except health and the agent card needs `Authorization: Bearer <token>`.'),
  namespace: z.string().min(1).describe('Namespace of the pods when a request does not name one.'),
  stableSelector: z.string().describe('Label selector for stable pods; empty = `rollouts-pod-template-hash=<stableHash>`.'),
  canarySelector: z.string().describe('Label selector for canary pods; empty = `rollouts-pod-template-hash=<canaryHash>`.'),
  tailLines: count('Last lines read per container (0 = all).'),
  since: duration('Only log lines newer than this (0 = no window).'),
  maxLogBytes: count('Bytes read per container log at most (limitBytes).'),
  previousLogs: bool('Also read the previous instance of restarted containers (where panics end up).'),
  prometheusUrl: z.string().describe('Prometheus base URL; empty = no metric comparison.'),
  metrics: metricList,
  metricsStep: duration('query_range resolution.'),
  judge: z.enum(JUDGES).describe('Who decides: statistical, llm, or combined (statistical alone when llmProvider=none).'),
  promoteThreshold: ratio('Combined score at or above which the canary is promoted.'),
  rollbackThreshold: ratio('Combined score at or below which the canary is rolled back; between = Inconclusive.'),
  llmProvider: z.enum(LLM_PROVIDERS).describe('LLM judge: gemini, openai (any OpenAI-compatible server), ollama (native), a2a (remote agent) or none.'),
  llmModel: z.string().describe('Model name; empty = gemini-2.5-flash for gemini (required for openai/ollama).'),
  llmBaseUrl: z.string().describe('Provider base URL (e.g. http://vllm:8000, http://ollama:11434); empty = the provider default.'),
  llmApiKey: z.string().describe('API key; falls back to GOOGLE_API_KEY / GEMINI_API_KEY (gemini) or OPENAI_API_KEY (openai).'),
  llmTimeout: duration('Deadline of one LLM attempt.'),
  llmRetries: count('Retries after a 429 / 5xx / network failure (exponential backoff, Retry-After honoured).'),
  extraPrompt: z.string().describe('Additional context for the LLM, e.g. "Ignore color changes."'),
  a2aUrl: z.string().describe('Base URL of the remote A2A agent when llmProvider=a2a.'),
  maxEvidenceChars: count('Size cap of the compact evidence sent to an LLM.'),
  analysisTimeout: duration('Deadline of one whole analysis; past it the verdict is Inconclusive.'),
  fastWait: duration('How long a web-provider or webhook call waits for a verdict before answering "not ready".'),
  maxConcurrent: count('Analyses running at once (more get SG_ROLLOUT_BUSY).'),
  resultTtl: duration('How long finished verdicts are kept for repeated measurements.'),
  githubRepo: z.string().describe('owner/name (or https://github.com/owner/name) for rollback issues; empty = no issues.'),
  githubToken: z.string().describe('GitHub token; falls back to GITHUB_TOKEN.'),
  githubApiUrl: z.string().url().describe('GitHub REST API base URL.'),
  issueLabels: list('Labels put on rollback issues (the coding agent picks them up).'),
  issueAssignee: z.string().describe('Assignee of new rollback issues, e.g. copilot-swe-agent; empty = none.'),
  dryRun: bool('Print rollback issues instead of calling GitHub.'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).describe('Log level.'),
} as const;

export const ROLLOUTS_DEFAULTS: { [K in keyof typeof rolloutsShape]: unknown } = {
  listen: '127.0.0.1:8080', publicUrl: '', authToken: '', namespace: 'default', stableSelector: '', canarySelector: '',
  tailLines: 2000, since: '15m', maxLogBytes: 1_048_576, previousLogs: true,
  prometheusUrl: '', metrics: [], metricsStep: '30s',
  judge: 'combined', promoteThreshold: 0.75, rollbackThreshold: 0.35,
  llmProvider: 'none', llmModel: '', llmBaseUrl: '', llmApiKey: '', llmTimeout: '60s', llmRetries: 3,
  extraPrompt: '', a2aUrl: '', maxEvidenceChars: 16_000,
  analysisTimeout: '4m', fastWait: '5s', maxConcurrent: 4, resultTtl: '1h',
  githubRepo: '', githubToken: '', githubApiUrl: 'https://api.github.com', issueLabels: 'jules', issueAssignee: '',
  dryRun: false, logLevel: 'info',
};

export const rolloutsSchema = z.object(rolloutsShape).strict();

export type RolloutsConfig = Readonly<z.infer<typeof rolloutsSchema>>;
export type RolloutsKey = keyof typeof rolloutsShape;

/** Rules across keys, checked on every key that parsed on its own so all problems surface at once. */
export function crossFieldProblems(c: Partial<z.infer<typeof rolloutsSchema>>): string[] {
  const out: string[] = [];
  if (c.rollbackThreshold !== undefined && c.promoteThreshold !== undefined && c.rollbackThreshold >= c.promoteThreshold) {
    out.push('rollbackThreshold: must be below promoteThreshold');
  }
  if ((c.llmProvider === 'openai' || c.llmProvider === 'ollama') && c.llmModel === '') out.push(`llmModel: llmProvider=${c.llmProvider} needs a model`);
  if (c.llmProvider === 'a2a' && c.a2aUrl === '') out.push('a2aUrl: llmProvider=a2a needs a2aUrl');
  if (c.judge === 'llm' && c.llmProvider === 'none') out.push('judge: judge=llm needs an llmProvider');
  if (c.githubRepo && !/^(https:\/\/github\.com\/)?[\w.-]+\/[\w.-]+?(\.git)?\/?$/.test(c.githubRepo)) {
    out.push('githubRepo: expected owner/name or https://github.com/owner/name');
  }
  return out;
}
