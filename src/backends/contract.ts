/**
 * The one contract suite every backend passes. A backend's test file calls
 * `backendContract(name, subjectFactory)`; the suite drives real sandboxes with a real CDP client.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { SandgateError } from '../errors/errors.js';
import { killRemaining } from '../process/tree.js';
import type { Backend, Endpoint } from './types.js';
import { tcpEndpoint } from '../testing/socket-forward.js';

/** A `kill` for backends whose list() reports host PIDs: SIGKILLs every process of the tenant's sandbox. */
export function killListedPids(backend: Backend): (tenant: string) => Promise<void> {
  return async (tenant) => {
    const info = (await backend.list()).find((s) => s.tenant === tenant);
    killRemaining(info?.pids ?? []);
  };
}

export interface ContractSubject {
  backend: Backend;
  /** Makes the tenant's sandbox die out of band (kill its processes, delete its pod …). */
  kill(tenant: string): Promise<void>;
}

export interface ContractFactory {
  make(): Promise<ContractSubject>;
  /** A backend whose provisioning fails for a terminal reason (bad image, missing browser …). */
  makeBroken(): Promise<Backend>;
  /** Skip reason when the backend cannot run here (throws under CI instead). */
  skip?: string | false;
}

const never = () => new AbortController().signal;

/** Connects over CDP to the endpoint's browser and returns its version (rejects when nothing answers). */
export async function browserAnswers(endpoint: Endpoint): Promise<string> {
  const tcp = await tcpEndpoint(endpoint);
  try {
    const browser = await chromium.connectOverCDP(`${tcp.url}/cdp`, { headers: endpoint.headers ?? {}, timeout: 10_000 });
    try {
      return browser.version();
    } finally {
      await browser.close();
    }
  } finally {
    await tcp.close();
  }
}

export function backendContract(name: string, factory: ContractFactory): void {
  describe(`backend contract: ${name}`, { skip: factory.skip ?? false, timeout: 180_000 }, () => {
    const subjects: ContractSubject[] = [];
    const make = async () => {
      const s = await factory.make();
      subjects.push(s);
      await s.backend.start();
      return s;
    };
    after(async () => {
      await Promise.all(subjects.map((s) => s.backend.close()));
    });

    test('ensure returns a ready endpoint whose browser answers over CDP', async () => {
      const { backend } = await make();
      const endpoint = await backend.ensure('t-ready', { signal: never() });
      assert.match(await browserAnswers(endpoint), /\d+\./);
    });

    test('ensure is idempotent and concurrent ensures yield one sandbox', async () => {
      const { backend } = await make();
      const endpoints = await Promise.all(Array.from({ length: 10 }, () => backend.ensure('t-once', { signal: never() })));
      assert.equal(new Set(endpoints.map((e) => e.id)).size, 1);
      const again = await backend.ensure('t-once', { signal: never() });
      assert.equal(again.id, endpoints[0]?.id);
      assert.equal((await backend.list()).filter((s) => s.tenant === 't-once').length, 1);
    });

    test('release destroys the sandbox; the next ensure makes a new one', async () => {
      const { backend } = await make();
      const first = await backend.ensure('t-release', { signal: never() });
      await backend.release('t-release');
      assert.equal((await backend.list()).some((s) => s.tenant === 't-release'), false);
      await assert.rejects(browserAnswers(first));
      const second = await backend.ensure('t-release', { signal: never() });
      assert.notEqual(second.id, first.id);
      await backend.release('unknown-tenant'); // a no-op
    });

    test('list returns only this instance\'s sandboxes', async () => {
      const [a, b] = await Promise.all([make(), make()]);
      await Promise.all([a.backend.ensure('t-mine-a', { signal: never() }), b.backend.ensure('t-mine-b', { signal: never() })]);
      assert.deepEqual((await a.backend.list()).map((s) => s.tenant), ['t-mine-a']);
      assert.deepEqual((await b.backend.list()).map((s) => s.tenant), ['t-mine-b']);
    });

    test('an aborted ensure rejects with SG_ENSURE_ABORTED and leaves nothing behind', async () => {
      const { backend } = await make();
      const controller = new AbortController();
      const pending = backend.ensure('t-abort', { signal: controller.signal });
      controller.abort(new Error('caller gave up'));
      await assert.rejects(pending, (err: unknown) => err instanceof SandgateError && err.code === 'SG_ENSURE_ABORTED');
      assert.equal((await backend.list()).some((s) => s.tenant === 't-abort'), false);
    });

    test('a sandbox that dies out of band is reported lost', async () => {
      const subject = await make();
      const endpoint = await subject.backend.ensure('t-lost', { signal: never() });
      const lost = new Promise<[string, string]>((resolve) => subject.backend.onLost((tenant, id) => resolve([tenant, id])));
      await subject.kill('t-lost');
      assert.deepEqual(await lost, ['t-lost', endpoint.id]);
      const fresh = await subject.backend.ensure('t-lost', { signal: never() });
      assert.notEqual(fresh.id, endpoint.id);
    });

    test('terminal provisioning failures are typed errors', async () => {
      const broken = await factory.makeBroken();
      await broken.start();
      try {
        await assert.rejects(broken.ensure('t-broken', { signal: never() }), (err: unknown) => {
          assert.ok(err instanceof SandgateError, String(err));
          assert.ok(['SG_RUNTIME_FAILED', 'SG_BACKEND_TERMINAL'].includes(err.code), err.code);
          return true;
        });
      } finally {
        await broken.close();
      }
    });

    test('close releases every sandbox', async () => {
      const { backend } = await make();
      await Promise.all([backend.ensure('t-c1', { signal: never() }), backend.ensure('t-c2', { signal: never() })]);
      await backend.close();
      assert.deepEqual(await backend.list(), []);
    });
  });
}
