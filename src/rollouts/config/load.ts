/** Parses the rollout analyzer's configuration once: defaults < file < SANDGATE_ROLLOUTS_* env < flags. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { RolloutError } from '../errors.js';
import { ROLLOUTS_DEFAULTS, crossFieldProblems, rolloutsSchema, rolloutsShape, type RolloutsConfig, type RolloutsKey } from './schema.js';

export const ROLLOUTS_KEYS = Object.keys(rolloutsShape) as RolloutsKey[];

const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
export const rolloutsEnvName = (key: string) => `SANDGATE_ROLLOUTS_${snake(key)}`;
export const rolloutsFlagName = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Well-known secret variables used when the SANDGATE_ROLLOUTS_* one is absent. */
const FALLBACK_ENV: Partial<Record<RolloutsKey, string[]>> = {
  githubToken: ['GITHUB_TOKEN'],
};
const LLM_KEY_ENV: Record<string, string[]> = { gemini: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'], openai: ['OPENAI_API_KEY'] };

export interface RolloutsSources {
  /** YAML or JSON file; SANDGATE_ROLLOUTS_CONFIG when absent. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Record<RolloutsKey, unknown>>;
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RolloutError('SG_ROLLOUT_CONFIG_INVALID', `cannot read config file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new RolloutError('SG_ROLLOUT_CONFIG_INVALID', `config file ${path} does not parse: ${(err as Error).message}`, { cause: err });
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new RolloutError('SG_ROLLOUT_CONFIG_INVALID', `config file ${path} must hold a mapping of keys to values`);
  }
  return data as Record<string, unknown>;
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ROLLOUTS_KEYS) {
    const names = [rolloutsEnvName(key), ...(FALLBACK_ENV[key] ?? [])];
    const value = names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const defined = (values: Partial<Record<string, unknown>> = {}) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));

/** Returns the frozen config or throws SG_ROLLOUT_CONFIG_INVALID listing every problem with its key. */
export function loadRolloutsConfig(sources: RolloutsSources = {}): RolloutsConfig {
  const env = sources.env ?? process.env;
  const file = sources.file ?? env.SANDGATE_ROLLOUTS_CONFIG;
  const merged: Record<string, unknown> = { ...ROLLOUTS_DEFAULTS, ...(file ? readFile(file) : {}), ...fromEnv(env), ...defined(sources.flags) };
  if (merged.llmApiKey === '' || merged.llmApiKey === undefined) {
    const names = LLM_KEY_ENV[String(merged.llmProvider)] ?? [];
    const key = names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
    if (key !== undefined) merged.llmApiKey = key;
  }
  const parsed = rolloutsSchema.safeParse(merged);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const valid: Record<string, unknown> = {};
  for (const key of ROLLOUTS_KEYS) {
    const one = rolloutsShape[key].safeParse(merged[key]);
    if (one.success) valid[key] = one.data;
  }
  problems.push(...crossFieldProblems(valid));
  if (!parsed.success || problems.length > 0) {
    throw new RolloutError('SG_ROLLOUT_CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, { detail: { problems } });
  }
  return Object.freeze(parsed.data);
}
