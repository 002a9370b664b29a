/**
 * One RBAC proof for any backend: the chart renders the RBAC for the backend's fixture namespace; as
 * rendered, the gateway's Kubernetes steps succeed under the ServiceAccount's token; with any single verb
 * removed they fail with the API server's refusal of that verb. The rendered rule set is pinned.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Backend, Endpoint } from '../../../backends/types.js';
import type { TestCluster } from '../cluster.js';
import { helmTemplate, type Render } from '../helm.js';
import { RbacProof, refusal } from './proof.js';

export interface RbacSuiteOptions {
  skip: string | false;
  /** Starts the backend's fixture; returns its cluster, the gateway's namespace and the chart values for it. */
  start(): Promise<{ cluster: TestCluster; namespace: string; render: Render }>;
  stop(): Promise<void>;
  /** The rules the chart must render, as RbacProof.rules() prints them. */
  rules: string[];
  /** The backend under test, talking to the API server with `kc` (always the same gatewayId). */
  backend(kc: KubeConfig): Backend;
  /** The gateway's other Kubernetes steps, after ensure and list (suspend/resume, an identity informer …). */
  more?(backend: Backend, endpoint: Endpoint, kc: KubeConfig): Promise<void>;
}

const TENANT = 'rbac-tenant';
const never = () => new AbortController().signal;

export function rbacSuite(title: string, o: RbacSuiteOptions): void {
  describe(title, { skip: o.skip, timeout: 900_000 }, () => {
    let proof: RbacProof | undefined;
    let admin: KubeConfig | undefined;
    before(async () => {
      const { cluster, namespace, render } = await o.start();
      admin = cluster.kc;
      proof = new RbacProof(cluster, namespace, helmTemplate(render));
      assert.deepEqual(proof.rules().sort(), [...o.rules].sort());
    });
    after(async () => {
      await proof?.close();
      await o.stop();
    });

    /** ensure → list → more → release under `kc`; the first refusal's message, undefined when all worked. */
    const run = async (kc: KubeConfig): Promise<string | undefined> => {
      const backend = o.backend(kc);
      try {
        await backend.start();
        const endpoint = await backend.ensure(TENANT, { signal: never() });
        assert.equal((await backend.list()).length, 1);
        await o.more?.(backend, endpoint, kc);
        await backend.release(TENANT);
        return undefined;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      } finally {
        await backend.close().catch(() => undefined);
        const cleanup = o.backend(admin as KubeConfig); // as admin: leave nothing behind for the next run
        await cleanup.start();
        await cleanup.release(TENANT);
        await cleanup.close();
      }
    };

    test('as rendered, the gateway works under the ServiceAccount token', async () => {
      assert.equal(await run(await (proof as RbacProof).kubeConfig()), undefined);
    });

    test('removing any one verb breaks the step that needs it', async () => {
      const variants = (proof as RbacProof).variants();
      assert.ok(variants.length > 0);
      for (const v of variants) {
        const failure = await run(await (proof as RbacProof).kubeConfig(v));
        assert.ok(failure, `without ${v.verb} ${v.resource} (${v.where}) the gateway still worked: the verb is not needed`);
        assert.match(failure, refusal(v), `without ${v.verb} ${v.resource} (${v.where})`);
      }
    });
  });
}
