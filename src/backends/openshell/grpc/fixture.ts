/**
 * Test fixture for the openshell backend in gRPC mode: a fake OpenShell gateway on loopback (real
 * gRPC, bearer token, real sandbox runtimes, real ForwardTcp), a token file, and backends or
 * SANDGATE_* settings that reach it. Test-only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenShell, type FakeOpenShellOptions } from '../../../testing/fakes/openshell/server.js';
import { OpenShellGrpcBackend, type OpenShellGrpcOptions } from './index.js';
import { toEnv } from '../../../config/settings.js';

export const SANDBOX_PORT = 9222;
export const IMAGE = 'sandgate:test';

export class OpenShellGrpcFixture {
  readonly label = 'openshell grpc (fake OpenShell gateway on loopback)';
  readonly fake: FakeOpenShell;
  readonly token = randomBytes(24).toString('hex');
  readonly secret = randomBytes(16).toString('hex');
  readonly gatewayId = `gw-${randomBytes(3).toString('hex')}`;
  private dir = '';

  constructor(options: Omit<FakeOpenShellOptions, 'token'> = {}) {
    this.fake = new FakeOpenShell({ ...options, token: this.token });
  }

  get tokenFile(): string {
    return join(this.dir, 'token');
  }

  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'sandgate-openshell-'));
    await writeFile(this.tokenFile, `${this.token}\n`, { mode: 0o600 });
    await this.fake.start();
  }

  /** A backend wired to the fake; each gets its own gateway id unless overridden. */
  backend(overrides: Partial<OpenShellGrpcOptions> = {}): OpenShellGrpcBackend {
    return new OpenShellGrpcBackend({
      endpoint: this.fake.endpoint,
      tls: false,
      tokenFile: this.tokenFile,
      image: IMAGE,
      sandboxPort: SANDBOX_PORT,
      sandboxSecret: this.secret,
      gatewayId: `gw-${randomBytes(3).toString('hex')}`,
      namePrefix: 'sg-',
      ...overrides,
    });
  }

  /** SANDGATE_* variables with which createBackend(loadConfig()) reaches this fixture. */
  settings(): Record<string, string> {
    return toEnv({ backend: 'openshell', openshellMode: 'grpc', openshellEndpoint: this.fake.endpoint, openshellTls: 'off', openshellTokenFile: this.tokenFile, sandboxImage: IMAGE, sandboxPort: SANDBOX_PORT, sandboxSecret: this.secret, gatewayId: this.gatewayId, namePrefix: 'sg-' });
  }


  /** The tenant's sandbox name as the backend derives it. */
  sandboxName(tenant: string): string {
    return this.backend().sandboxName(tenant);
  }

  async close(): Promise<void> {
    await this.fake.close();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
