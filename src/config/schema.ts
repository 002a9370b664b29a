/**
 * The one configuration schema. Every key is documented here; the README table, the env names
 * (SANDGATE_<SNAKE_CASE>) and the `serve` flags (--kebab-case) are all derived from it.
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { parseBytes } from './bytes.js';

const duration = (description: string) =>
  z.preprocess((v) => parseDuration(v) ?? v, z.number().int().nonnegative()).describe(description);

const bytes = (description: string) =>
  z.preprocess((v) => parseBytes(v) ?? v, z.number().int().nonnegative()).describe(description);

const count = (description: string) => z.coerce.number().int().nonnegative().describe(description);

const hostPort = (description: string) =>
  z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected HOST:PORT, e.g. 127.0.0.1:9000')
    .describe(description);

const list = (description: string) =>
  z
    .preprocess((v) => (typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : v), z.array(z.string()))
    .describe(description);

export const BACKENDS = ['local-process', 'local-bwrap', 'local-gvisor'] as const;
export const IDENTITIES = ['header', 'path', 'token'] as const;

export const configShape = {
  backend: z.enum(BACKENDS).describe('Sandbox backend that provisions one browser per tenant.'),
  listen: hostPort('Data listener (Playwright/CDP WebSocket and HTTP forwarding).'),
  management: hostPort('Management listener: /healthz, /readyz, /metrics.'),
  identity: z.enum(IDENTITIES).describe('How callers are identified: header, path (/t/<tenant>/…) or token.'),
  identityHeader: z.string().min(1).describe('Header carrying the tenant id when identity=header.'),
  tokenSecret: z.string().describe('HMAC secret for identity=token and `sandgate token` (at least 32 chars).'),
  ensureTimeout: duration('End-to-end deadline for provisioning a sandbox (e.g. 30s).'),
  idleTtl: duration('A sandbox with no open connection for this long is reaped (0 = never).'),
  maxLifetime: duration('A sandbox older than this is reaped even if in use (0 = no limit).'),
  reapInterval: duration('How often the one reaper timer checks sessions.'),
  maxConnectionsPerTenant: count('Open WebSocket/HTTP connections allowed per tenant (0 = no limit).'),
  maxHeaderBytes: count('Largest accepted request header block, in bytes.'),
  wsIdleTimeout: duration('A relayed connection with no traffic either way for this long is closed (0 = never).'),
  upstreamConnectTimeout: duration('Deadline for reaching a sandbox endpoint once it is ready.'),
  drainTimeout: duration('On SIGTERM/SIGINT, how long open connections get before the gateway exits.'),
  chromiumPath: z.string().min(1).describe('Chromium executable used by sandbox runtimes.'),
  chromiumArgs: list('Extra Chromium flags for sandbox runtimes (space separated).'),
  warmPool: count('Local backends: ready sandbox runtimes kept for new tenants.'),
  sandboxDir: z.string().min(1).describe('local-bwrap / local-gvisor: parent of the per-sandbox directories (writable dir, bundle, checkpoint image).'),
  sandboxNetwork: z.enum(['none', 'shared']).describe("local-bwrap: 'none' (own namespace, loopback only; reached over a Unix socket) or 'shared' (host network)."),
  sandboxUid: count('local-bwrap: unprivileged uid (and gid) the browser runs as.'),
  sandboxMemory: bytes('local-bwrap / local-gvisor: memory limit per sandbox, e.g. 1g (0 = none).'),
  sandboxCpus: z.coerce.number().nonnegative().describe('local-bwrap: CPU cores per sandbox, e.g. 1.5 (0 = no limit).'),
  sandboxPids: count('local-bwrap: process limit per sandbox (0 = none).'),
  idleAction: z.enum(['release', 'suspend']).describe('What the reaper does with an idle sandbox: release it, or suspend it with its live state (backends that can).'),
  suspendedTtl: duration('A suspended sandbox is released after this long (0 = kept until maxLifetime).'),
  persistState: z.enum(['off', 'opt-in', 'all']).describe("Browser-state persistence (cookies, localStorage) across sandboxes: off, opt-in (per tenant, header X-Sandgate-Persist: 1) or all."),
  stateDir: z.string().min(1).describe('Where persisted browser state is archived, one file per tenant.'),
  stateRetention: duration('Persisted browser state older than this is deleted (0 = kept).'),
  adminToken: z.string().describe('Bearer token for the admin API on the management port (empty = admin API off).'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).describe('Log level.'),
} as const;

export const DEFAULTS: { [K in keyof typeof configShape]: unknown } = {
  backend: 'local-process',
  listen: '127.0.0.1:9000',
  management: '127.0.0.1:9090',
  identity: 'header',
  identityHeader: 'X-Sandgate-Tenant',
  tokenSecret: '',
  ensureTimeout: '30s',
  idleTtl: '10m',
  maxLifetime: '0',
  reapInterval: '5s',
  maxConnectionsPerTenant: 32,
  maxHeaderBytes: 16384,
  wsIdleTimeout: '30m',
  upstreamConnectTimeout: '5s',
  drainTimeout: '10s',
  chromiumPath: '/usr/lib/chromium/chromium',
  chromiumArgs: '',
  warmPool: 0,
  sandboxDir: '/tmp/sandgate-sandboxes',
  sandboxNetwork: 'none',
  sandboxUid: 65534,
  sandboxMemory: '1g',
  sandboxCpus: 1,
  sandboxPids: 1024,
  idleAction: 'release',
  suspendedTtl: '1h',
  persistState: 'off',
  stateDir: '/var/tmp/sandgate/state',
  stateRetention: '168h',
  adminToken: '',
  logLevel: 'info',
};

export const configSchema = z
  .object(configShape)
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.identity === 'token' && cfg.tokenSecret.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['tokenSecret'], message: 'identity=token needs a tokenSecret of at least 32 characters' });
    }
  });

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ConfigKey = keyof typeof configShape;
