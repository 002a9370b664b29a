/** Parses configuration once: defaults < config file < SANDGATE_* environment < flags. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { SandgateError } from '../errors/errors.js';
import { DEFAULTS, configSchema, configShape, type Config, type ConfigKey } from './schema.js';

export const CONFIG_KEYS = Object.keys(configShape) as ConfigKey[];

export function envName(key: string): string {
  return 'SANDGATE_' + key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function flagName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export interface LoadSources {
  /** Path of a YAML or JSON file; SANDGATE_CONFIG is used when absent. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, keyed by config key. Undefined values are ignored. */
  flags?: Partial<Record<ConfigKey, unknown>>;
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SandgateError('SG_CONFIG_INVALID', `cannot read config file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const data: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new SandgateError('SG_CONFIG_INVALID', `config file ${path} must hold a mapping of keys to values`);
  }
  return data as Record<string, unknown>;
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function defined(values: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** Returns the frozen config or throws SG_CONFIG_INVALID listing every problem with its key. */
export function loadConfig(sources: LoadSources = {}): Config {
  const env = sources.env ?? process.env;
  const file = sources.file ?? env.SANDGATE_CONFIG;
  const merged = { ...DEFAULTS, ...(file ? readFile(file) : {}), ...fromEnv(env), ...defined(sources.flags) };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      return `${key}: ${issue.message}`;
    });
    throw new SandgateError('SG_CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, {
      detail: { problems },
    });
  }
  return Object.freeze(parsed.data);
}
