/**
 * The test control plane started by scripts/k8s/up.sh, seen from a test: its admin kubeconfig, a
 * prerequisite check (skip locally, FAIL under CI), throwaway namespaces and manifest application.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { isNotFound } from '../../kube/errors.js';
import { listWatch } from '../../kube/list-watch.js';
import { waitFor } from '../../kube/wait-for.js';
import { prerequisite } from '../prereq.js';
import { toEnv, type Settings } from '../../config/settings.js';

export const RUN_DIR = process.env.SANDGATE_K8S_RUN_DIR ?? join(homedir(), '.cache/sandgate/k8s/run');
export const ADMIN_KUBECONFIG = join(RUN_DIR, 'admin.kubeconfig');
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function planeRunning(): boolean {
  try {
    process.kill(Number(readFileSync(join(RUN_DIR, 'kube-apiserver.pid'), 'utf8')), 0);
    return existsSync(ADMIN_KUBECONFIG);
  } catch {
    return false;
  }
}

/** Skip reason when no test control plane runs (throws under CI=true). */
export function k8sSkip(): string | false {
  return prerequisite(planeRunning(), `a test Kubernetes control plane (npm run k8s:up; run dir ${RUN_DIR})`);
}

export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(ADMIN_KUBECONFIG);
  return kc;
}

/** SANDGATE_* environment of a backend on the test control plane: the admin kubeconfig plus `settings`. */
export function clusterSettings(settings: Settings): Record<string, string> {
  return toEnv({ kubeconfig: ADMIN_KUBECONFIG, ...settings });
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export class TestCluster {
  readonly kc = adminKubeConfig();
  readonly core = this.kc.makeApiClient(CoreV1Api);
  readonly objects = KubernetesObjectApi.makeApiClient(this.kc);
  private readonly namespaces: string[] = [];

  async namespace(prefix: string): Promise<string> {
    const name = uniqueName(`sg-${prefix}`);
    await this.core.createNamespace({ body: { metadata: { name, labels: { 'sandgate.io/test': 'true' } } } });
    this.namespaces.push(name);
    return name;
  }

  /** Creates every document of a YAML file under deploy/ in `namespace`; `edit` may change each first. */
  async applyFile(file: string, namespace: string, edit: (doc: KubernetesObject) => KubernetesObject = (d) => d): Promise<KubernetesObject[]> {
    return this.applyObjects(parseAllDocuments(readFileSync(join(REPO_ROOT, file), 'utf8')).map((d) => d.toJS() as KubernetesObject), namespace, edit);
  }

  /** Creates the objects (e.g. a rendered chart) in `namespace`, in order; `edit` may change each first. */
  async applyObjects(docs: KubernetesObject[], namespace: string, edit: (doc: KubernetesObject) => KubernetesObject = (d) => d): Promise<KubernetesObject[]> {
    const out: KubernetesObject[] = [];
    for (const doc of docs) {
      const body = edit({ ...doc, metadata: { ...doc.metadata, namespace } });
      out.push(await this.objects.create(body));
    }
    return out;
  }

  /** Deletes the namespaces this instance made and waits (bounded) until they are gone. */
  async close(timeoutMs = 60_000): Promise<void> {
    await Promise.all(
      this.namespaces.splice(0).map(async (name) => {
        await this.core.deleteNamespace({ name }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
        const source = listWatch(this.kc, '/api/v1/namespaces', { fieldSelector: `metadata.name=${name}` }, () =>
          this.core.listNamespace({ fieldSelector: `metadata.name=${name}` }),
        );
        await waitFor(source, (items) => (items.length === 0 ? true : undefined), { deadline: Date.now() + timeoutMs }).catch(() => undefined);
      }),
    );
  }
}
