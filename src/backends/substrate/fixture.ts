/**
 * Test fixture: a fake substrate control plane (real gRPC over TLS, certificates made with openssl)
 * and a fake atenet-router on loopback, an ActorTemplate whose workload is the sandgate runtime on
 * port 80, and backends wired to them. jwt mode gets a real ServiceAccount token from the test
 * kube-apiserver (audience api.ate-system.svc), checked by TokenReview. Test-only.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster } from '../../testing/k8s/cluster.js';
import { CHROMIUM_PATH } from '../../testing/prereq.js';
import { makePki, type TestPki } from '../../testing/fakes/substrate/certs.js';
import { FakeControlPlane, type ControlPlaneOptions } from '../../testing/fakes/substrate/control-plane.js';
import { FakeRouter } from '../../testing/fakes/substrate/router.js';
import { requestToken, tokenReviewer } from '../../testing/fakes/substrate/token-review.js';
import { SubstrateBackend, type SubstrateOptions } from './index.js';
import { toEnv } from '../../config/settings.js';

export const SERVER_NAME = 'api.ate-system.svc';
export const ATESPACE = 'sandgate';
export const TEMPLATE = 'sandgate/sandgate-sandbox';
/** A template whose workload cannot start (its browser path does not exist). */
export const BROKEN_TEMPLATE = 'sandgate/broken-sandbox';
const SERVICE_ACCOUNT = 'sandgate-gateway';

export interface SubstrateFixtureOptions extends Partial<Pick<ControlPlaneOptions, 'capacity' | 'transitionMs' | 'noWorker'>> {
  api?: 'actor-ref' | 'actor-id';
  auth?: 'mtls' | 'jwt';
  routeTimeoutMs?: number;
}

export class SubstrateFixture {
  readonly label = 'substrate (fake control plane + router)';
  readonly api: 'actor-ref' | 'actor-id';
  readonly auth: 'mtls' | 'jwt';
  readonly secret = randomBytes(18).toString('base64url');
  pki!: TestPki;
  cp!: FakeControlPlane;
  router!: FakeRouter;
  tokenFile = '';
  private cluster: TestCluster | undefined;
  private namespace = '';

  constructor(private readonly options: SubstrateFixtureOptions = {}) {
    this.api = options.api ?? 'actor-ref';
    this.auth = options.auth ?? 'mtls';
  }

  async start(): Promise<void> {
    this.pki = makePki(SERVER_NAME);
    let verifyToken: ControlPlaneOptions['verifyToken'];
    if (this.auth === 'jwt') {
      this.cluster = new TestCluster();
      this.namespace = await this.cluster.namespace('substrate');
      await this.cluster.core.createNamespacedServiceAccount({ namespace: this.namespace, body: { metadata: { name: SERVICE_ACCOUNT } } });
      this.tokenFile = join(this.pki.dir, 'token');
      await this.rotateToken();
      verifyToken = tokenReviewer(this.cluster.kc, `system:serviceaccount:${this.namespace}:${SERVICE_ACCOUNT}`);
    }
    const { capacity, transitionMs, noWorker } = this.options;
    this.cp = new FakeControlPlane({
      api: this.api,
      auth: this.auth,
      tls: { caCert: this.pki.caCert, serverCert: this.pki.serverCert, serverKey: this.pki.serverKey },
      ...(verifyToken ? { verifyToken } : {}),
      ...(capacity !== undefined ? { capacity } : {}),
      ...(transitionMs !== undefined ? { transitionMs } : {}),
      ...(noWorker ? { noWorker } : {}),
    });
    const env = { SANDGATE_SANDBOX_SECRET: this.secret, SANDGATE_CHROMIUM_PATH: CHROMIUM_PATH };
    this.cp.store.templates.set(TEMPLATE, { args: ['sandbox', '--port', '80'], env });
    this.cp.store.templates.set(BROKEN_TEMPLATE, { args: ['sandbox', '--port', '80', '--chromium-path', '/nonexistent/chromium'], env });
    this.cp.store.atespaces.add(ATESPACE);
    await this.cp.start();
    this.router = new FakeRouter(this.cp, this.options.routeTimeoutMs);
    await this.router.start();
  }

  /** Writes a fresh ServiceAccount token (as the kubelet rotates a projected token). */
  async rotateToken(): Promise<void> {
    if (!this.cluster) throw new Error('rotateToken needs auth=jwt');
    writeFileSync(this.tokenFile, await requestToken(this.cluster.kc, this.namespace, SERVICE_ACCOUNT));
  }

  get endpoint(): string {
    return `127.0.0.1:${this.cp.port}`;
  }

  backend(overrides: Partial<SubstrateOptions> = {}): SubstrateBackend {
    return new SubstrateBackend({
      endpoint: this.endpoint,
      api: this.api,
      auth: this.auth,
      serverName: SERVER_NAME,
      caFile: this.pki.caCert,
      ...(this.auth === 'mtls' ? { certFile: this.pki.clientCert, keyFile: this.pki.clientKey } : { tokenFile: this.tokenFile }),
      atespace: ATESPACE,
      actorTemplate: TEMPLATE,
      router: this.router.address,
      sandboxSecret: this.secret,
      gatewayId: `gw-${randomBytes(3).toString('hex')}`,
      namePrefix: 'sg-',
      suspendWith: 'pause',
      checkIntervalMs: 300,
      ...overrides,
    });
  }

  /** SANDGATE_* variables with which createBackend(loadConfig(…)) reaches this fixture. */
  settings(): Record<string, string> {
    return toEnv({
      backend: 'substrate',
      substrateEndpoint: this.endpoint,
      substrateApi: this.api,
      substrateAuth: this.auth,
      substrateServerName: SERVER_NAME,
      substrateCaFile: this.pki.caCert,
      ...(this.auth === 'mtls' ? { substrateCertFile: this.pki.clientCert, substrateKeyFile: this.pki.clientKey } : { substrateTokenFile: this.tokenFile }),
      substrateAtespace: ATESPACE,
      substrateActorTemplate: TEMPLATE,
      substrateRouter: this.router.address,
      sandboxSecret: this.secret,
      gatewayId: `gw-${randomBytes(3).toString('hex')}`,
    });
  }


  async close(): Promise<void> {
    await this.router?.close();
    await this.cp?.close();
    await this.cluster?.close();
    this.pki?.cleanup();
  }
}
