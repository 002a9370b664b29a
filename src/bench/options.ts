/** `sandgate bench` options: raw command-line strings → validated, typed options (every problem reported at once). */
import { BACKENDS, IDENTITIES } from '../config/schema.js';
import { SandgateError } from '../errors/errors.js';
import type { Scenario, StateCheck } from './types.js';

export const SCENARIOS = ['cold', 'warm', 'pooled', 'restore', 'direct'] as const satisfies readonly Scenario[];
export const PROTOCOLS = ['playwright', 'cdp'] as const;
export const RESTORE_MODES = ['auto', 'suspend', 'recreate'] as const;
export type RestoreMode = (typeof RESTORE_MODES)[number];
export type Protocol = (typeof PROTOCOLS)[number];
/** Identities the bench can present; pod-label needs the clients to run inside labelled pods. */
export type IdentityKind = Exclude<(typeof IDENTITIES)[number], 'pod-label'>;
export type BackendName = (typeof BACKENDS)[number];

export const DEFAULT_RUNS = 20;
export const QUICK_RUNS = 5;
export const DEFAULT_WARMUP = 2;
export const DEFAULT_POOL_SETTLE_MS = 1500;
export const DEFAULT_TIMEOUT_MS = 60_000;

export type GatewayChoice =
  /** label: the name shown for the (single) embedded backend, e.g. `substrate (fake control plane)`. */
  | { kind: 'embedded'; backends: BackendName[]; warmPool: number; label?: string }
  | { kind: 'remote'; url: string; label: string; identity: IdentityKind; identityHeader: string; tokenSecret: string };

export interface BenchOptions {
  gateway: GatewayChoice;
  scenarios: Scenario[];
  protocol: Protocol;
  /** restore: suspend the sandbox (backends that can), or release and re-create it; auto picks suspend when possible. */
  restoreMode: RestoreMode;
  runs: number;
  warmup: number;
  concurrency: number[];
  /** Page every sample loads; the built-in fixture server when absent. */
  target?: string;
  /** Address the fixture server binds and advertises (must be reachable from the sandboxes). */
  fixtureHost: string;
  timeoutMs: number;
  poolSettleMs: number;
  chromiumPath: string;
  chromiumArgs: string[];
  json?: string;
  outDir?: string;
  png: boolean;
  logLevel: string;
  /** Tests only: overrides the state a restore cell expects to survive (normally from backend capabilities). */
  declaredState?: Array<keyof StateCheck>;
}

/** What commander hands over (all strings, flags as booleans). */
export interface RawBenchOptions {
  gateway?: string; label?: string; identity?: string; identityHeader?: string; tokenSecret?: string;
  backends?: string; warmPool?: string; scenarios?: string; protocol?: string; restoreMode?: string;
  runs?: string; warmup?: string; quick?: boolean; concurrency?: string;
  target?: string; fixtureHost?: string; timeout?: string; poolSettle?: string;
  chromiumPath?: string; chromiumArgs?: string; json?: string; out?: string | false; png?: boolean; logLevel?: string;
}

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);

function oneOf<T extends string>(values: readonly T[], v: string): v is T {
  return (values as readonly string[]).includes(v);
}

/** Parses and validates; throws SG_CONFIG_INVALID listing every problem with its flag. */
export function parseBenchOptions(raw: RawBenchOptions, env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const problems: string[] = [];
  const int = (flag: string, v: string | undefined, fallback: number, min: number): number => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) problems.push(`--${flag}: expected an integer ≥ ${min}, got "${v}"`);
    return n;
  };
  const runs = int('runs', raw.runs, raw.quick ? QUICK_RUNS : DEFAULT_RUNS, 1);
  const warmup = int('warmup', raw.warmup, DEFAULT_WARMUP, 0);
  const timeoutMs = int('timeout', raw.timeout, DEFAULT_TIMEOUT_MS, 1);
  const poolSettleMs = int('pool-settle', raw.poolSettle, DEFAULT_POOL_SETTLE_MS, 0);

  const concurrency = [...new Set(list(raw.concurrency ?? '1').map((v) => int('concurrency', v, 1, 1)))].sort((a, b) => a - b);
  if (concurrency.length === 0) problems.push('--concurrency: give at least one level, e.g. 1,4,16');

  const protocol = raw.protocol ?? 'playwright';
  if (!oneOf(PROTOCOLS, protocol)) problems.push(`--protocol: expected playwright or cdp, got "${protocol}"`);
  const restoreMode = raw.restoreMode ?? 'auto';
  if (!oneOf(RESTORE_MODES, restoreMode)) problems.push(`--restore-mode: expected ${RESTORE_MODES.join('|')}, got "${restoreMode}"`);

  let gateway: GatewayChoice;
  if (raw.gateway !== undefined) {
    const identity = raw.identity ?? 'header';
    if (!oneOf(IDENTITIES, identity)) problems.push(`--identity: expected ${IDENTITIES.join('|')}, got "${identity}"`);
    else if (identity === 'pod-label') problems.push('--identity pod-label: the bench cannot act as a labelled pod; use header, path or token');
    if (!/^(wss?|https?):\/\/[^/]/.test(raw.gateway)) problems.push(`--gateway: expected ws://HOST:PORT (or wss/http/https), got "${raw.gateway}"`);
    const tokenSecret = raw.tokenSecret ?? env.SANDGATE_TOKEN_SECRET ?? '';
    if (identity === 'token' && tokenSecret.length < 32) problems.push('--token-secret: identity=token needs the gateway\'s secret (≥ 32 chars; env SANDGATE_TOKEN_SECRET)');
    if (raw.backends !== undefined) problems.push('--backends: only for embedded gateways; a --gateway runs the backend it was started with');
    if (raw.warmPool !== undefined) problems.push('--warm-pool: only for embedded gateways; a remote pool is configured on that gateway');
    gateway = { kind: 'remote', url: raw.gateway.replace(/\/+$/, '').replace(/^http/, 'ws'), label: raw.label ?? 'remote', identity: identity as IdentityKind, identityHeader: raw.identityHeader ?? 'X-Sandgate-Tenant', tokenSecret };
  } else {
    const backends = [...new Set(list(raw.backends ?? 'local-process'))];
    for (const b of backends) if (!oneOf(BACKENDS, b)) problems.push(`--backends: unknown backend "${b}" (available: ${BACKENDS.join(', ')})`);
    if (backends.length === 0) problems.push('--backends: give at least one backend');
    for (const flag of ['identity', 'identityHeader', 'tokenSecret'] as const) {
      if (raw[flag] !== undefined) problems.push(`--${flag.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: only with --gateway (embedded gateways use header identity)`);
    }
    if (raw.label !== undefined && backends.length !== 1) problems.push('--label: names one embedded backend; give exactly one in --backends');
    if (raw.label !== undefined && raw.label.trim() === '') problems.push('--label: must not be empty');
    const warmPool = Math.max(int('warm-pool', raw.warmPool, 0, 0), concurrency.at(-1) ?? 1);
    gateway = { kind: 'embedded', backends: backends as BackendName[], warmPool, ...(raw.label !== undefined ? { label: raw.label } : {}) };
  }

  const remote = gateway.kind === 'remote';
  const defaultScenarios: Scenario[] = remote ? ['cold', 'warm'] : [...SCENARIOS];
  const scenarios = raw.scenarios === undefined ? defaultScenarios : [...new Set(list(raw.scenarios))];
  for (const s of scenarios) if (!oneOf(SCENARIOS, s)) problems.push(`--scenarios: unknown scenario "${s}" (available: ${SCENARIOS.join(', ')})`);
  if (scenarios.length === 0) problems.push('--scenarios: give at least one scenario');
  if (remote && scenarios.includes('restore')) problems.push('--scenarios: restore needs an embedded gateway (a remote gateway has no release/suspend API yet)');

  if (raw.target !== undefined && !/^https?:\/\/[^/]/.test(raw.target)) problems.push(`--target: expected an http(s) URL, got "${raw.target}"`);
  const logLevel = raw.logLevel ?? 'silent';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) problems.push(`--log-level: unknown level "${logLevel}"`);

  if (problems.length > 0) {
    throw new SandgateError('SG_CONFIG_INVALID', `invalid bench options:\n  ${problems.join('\n  ')}`, { detail: { problems } });
  }
  return {
    gateway,
    scenarios: SCENARIOS.filter((s) => scenarios.includes(s)),
    protocol: protocol as Protocol,
    restoreMode: restoreMode as RestoreMode,
    runs, warmup, concurrency, timeoutMs, poolSettleMs,
    ...(raw.target !== undefined ? { target: raw.target } : {}),
    fixtureHost: raw.fixtureHost ?? '127.0.0.1',
    chromiumPath: raw.chromiumPath ?? env.SANDGATE_CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
    chromiumArgs: (raw.chromiumArgs ?? '').split(/\s+/).filter(Boolean),
    ...(raw.json !== undefined ? { json: raw.json } : {}),
    ...(raw.out !== false ? { outDir: raw.out ?? 'bench-results' } : {}),
    png: raw.png !== false,
    logLevel,
  };
}
