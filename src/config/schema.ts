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

export const BACKENDS = ['local-process', 'local-bwrap', 'local-gvisor', 'agent-sandbox', 'openshell', 'substrate', 'karssandbox', 'isola'] as const;
export const IDENTITIES = ['header', 'path', 'token', 'pod-label'] as const;

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
  kubeconfig: z.string().describe('Kubernetes backends and pod-label identity: kubeconfig file (empty: in-cluster, else $KUBECONFIG or ~/.kube/config).'),
  namespace: z.string().describe("Kubernetes backends: namespace of the sandboxes (empty: the gateway pod's own, else the kubeconfig context's)."),
  gatewayId: z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'a label value: 1-63 letters, digits, - _ .').describe("Kubernetes backends: this gateway's id in the managed-by label of its resources (replicas of one gateway share it)."),
  namePrefix: z.string().regex(/^[a-z][-a-z0-9]{0,15}$/, 'lowercase DNS-1123, starting with a letter, at most 16 chars').describe('Kubernetes backends: prefix of resource names derived from tenant ids.'),
  warmPoolName: z.string().min(1).describe('agent-sandbox: the SandboxWarmPool every SandboxClaim refers to.'),
  sandboxPort: z.coerce.number().int().min(1).max(65535).describe('Kubernetes backends: port of the sandbox runtime inside the sandbox pod.'),
  sandboxSecret: z.string().describe('Kubernetes backends: path secret of the sandbox runtimes (their SANDGATE_SANDBOX_SECRET), at least 16 chars.'),
  tenantLabelKey: z.string().regex(/^[a-z0-9.-]+\/[A-Za-z0-9._-]+$/, 'a domain-prefixed label key').describe('agent-sandbox: domain-prefixed label with the tenant on claims and sandbox pods (the controller must allow the domain).'),
  sandboxImage: z.string().min(1).describe('openshell / karssandbox / isola: image of the sandbox runtime in the pods these backends create (see deploy/image/Dockerfile).'),
  openshellMode: z.enum(['grpc', 'kubernetes']).describe("openshell: 'grpc' (through the OpenShell gateway's API) or 'kubernetes' (agents.x-k8s.io Sandbox objects, as OpenShell's own driver does)."),
  openshellEndpoint: hostPort('openshell (grpc): HOST:PORT of the OpenShell gateway gRPC API.'),
  openshellTls: z.enum(['off', 'on']).describe('openshell (grpc): TLS to the gateway (on) or plaintext h2c inside the cluster (off).'),
  openshellCaFile: z.string().describe('openshell (grpc): CA bundle for the gateway certificate (empty: system roots).'),
  openshellTokenFile: z.string().describe('openshell (grpc): file with the bearer token (re-read on every call; empty: no auth header).'),
  substrateEndpoint: hostPort('substrate: HOST:PORT of the ateapi.Control gRPC API.'),
  substrateApi: z.enum(['actor-ref', 'actor-id']).describe("substrate: request shape — 'actor-ref' (ActorRef{atespace, name}, current) or 'actor-id' (older builds)."),
  substrateAuth: z.enum(['mtls', 'jwt']).describe('substrate: client authentication — mtls (client certificate) or jwt (projected ServiceAccount token as bearer).'),
  substrateServerName: z.string().min(1).describe('substrate: TLS server name (SNI) the control plane certificate is checked against.'),
  substrateCaFile: z.string().describe('substrate: CA bundle of the control plane certificate.'),
  substrateCertFile: z.string().describe('substrate (mtls): client certificate file.'),
  substrateKeyFile: z.string().describe('substrate (mtls): client key file.'),
  substrateTokenFile: z.string().describe('substrate (jwt): projected ServiceAccount token file (re-read on every call).'),
  substrateAtespace: z.string().min(1).describe('substrate: atespace of this gateway\'s actors.'),
  substrateActorTemplate: z.string().min(1).describe('substrate: ActorTemplate (NAMESPACE/NAME) the actors are created from.'),
  substrateRouter: hostPort('substrate: HOST:PORT of atenet-router (the data path; it routes actor port 80 by Host header).'),
  substrateSuspend: z.enum(['pause', 'suspend']).describe('substrate: what suspend() calls — PauseActor (snapshot kept on the node) or SuspendActor (snapshot to object storage).'),
  karsInferenceRef: z.string().min(1).describe('karssandbox: InferencePolicy (same namespace) every KarsSandbox refers to; it must exist.'),
  karsIsolation: z.enum(['standard', 'enhanced', 'confidential']).describe('karssandbox: spec.sandbox.isolation of each KarsSandbox.'),
  isolaNamespace: z.string().min(1).describe('isola: the shared namespace of isola Sandbox objects.'),
  isolaEgressCidrs: list('isola: spec.network.allowedEgressCIDRs of each sandbox (space separated; empty: no egress beyond what the chart allows).'),
  podLabelKey: z.string().min(1).describe("identity=pod-label: label whose value is the calling pod's tenant."),
  podLabelNamespaces: list('identity=pod-label: namespaces of the caller pods (space separated; empty: `namespace`).'),
  podLabelWait: duration('identity=pod-label: how long a request from an unknown address waits for the pod informer.'),
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
  kubeconfig: '',
  namespace: '',
  gatewayId: 'sandgate',
  namePrefix: 'sg-',
  warmPoolName: 'sandgate',
  sandboxPort: 9222,
  sandboxSecret: '',
  tenantLabelKey: 'sandbox.users.io/sandgate-tenant',
  sandboxImage: 'sandgate:latest',
  openshellMode: 'grpc',
  openshellEndpoint: 'openshell:8080',
  openshellTls: 'off',
  openshellCaFile: '',
  openshellTokenFile: '',
  substrateEndpoint: 'api.ate-system.svc:443',
  substrateApi: 'actor-ref',
  substrateAuth: 'jwt',
  substrateServerName: 'api.ate-system.svc',
  substrateCaFile: '/var/run/secrets/substrate/ca.crt',
  substrateCertFile: '',
  substrateKeyFile: '',
  substrateTokenFile: '/var/run/secrets/substrate/token',
  substrateAtespace: 'sandgate',
  substrateActorTemplate: 'sandgate/sandgate-sandbox',
  substrateRouter: 'atenet-router.ate-system.svc:80',
  substrateSuspend: 'pause',
  karsInferenceRef: 'sandgate',
  karsIsolation: 'standard',
  isolaNamespace: 'isola-sandboxes',
  isolaEgressCidrs: '',
  podLabelKey: 'playwright-id',
  podLabelNamespaces: '',
  podLabelWait: '2s',
  logLevel: 'info',
};

export const configSchema = z
  .object(configShape)
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.identity === 'token' && cfg.tokenSecret.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['tokenSecret'], message: 'identity=token needs a tokenSecret of at least 32 characters' });
    }
    const remote = !cfg.backend.startsWith('local-');
    if (remote && cfg.sandboxSecret.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['sandboxSecret'], message: `backend=${cfg.backend} needs the sandbox pods' path secret (at least 16 characters)` });
    }
    if (cfg.backend === 'substrate' && cfg.substrateAuth === 'mtls' && (!cfg.substrateCertFile || !cfg.substrateKeyFile)) {
      ctx.addIssue({ code: 'custom', path: ['substrateCertFile'], message: 'substrateAuth=mtls needs substrateCertFile and substrateKeyFile' });
    }
    if (cfg.backend === 'substrate' && !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(cfg.substrateActorTemplate)) {
      ctx.addIssue({ code: 'custom', path: ['substrateActorTemplate'], message: 'expected NAMESPACE/NAME of an ActorTemplate' });
    }
  });

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ConfigKey = keyof typeof configShape;
