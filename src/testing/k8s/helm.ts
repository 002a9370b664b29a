/**
 * The chart deploy/helm/sandgate seen from a test: `helm template` with the helm binary that
 * scripts/k8s/build.sh builds into the cache (a prerequisite: skip locally, FAIL under CI), and a
 * server-side dry run (`dryRun=All`) of rendered or example manifests on the test control plane.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { kubeMessage } from '../../kube/errors.js';
import { prerequisite } from '../prereq.js';
import { REPO_ROOT } from './cluster.js';

export const HELM_BIN = join(process.env.SANDGATE_CACHE ?? join(homedir(), '.cache/sandgate'), 'k8s/bin/helm');
export const CHART = join(REPO_ROOT, 'deploy/helm/sandgate');
export const EXAMPLES = join(REPO_ROOT, 'deploy/examples');

/** Skip reason when the cached helm is missing (throws under CI=true). */
export function helmSkip(): string | false {
  return prerequisite(existsSync(HELM_BIN), `helm at ${HELM_BIN} (bash scripts/k8s/build.sh helm)`);
}

export interface Render {
  namespace: string;
  release?: string;
  /** Values files relative to the repository root, in order. */
  valuesFiles?: string[];
  /** Values applied last (written to a temporary values file). */
  values?: Record<string, unknown>;
}

export interface HelmResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** `helm template` (or `helm lint --strict`) of the chart with the given values. */
export function helm(render: Render, command: 'template' | 'lint' = 'template'): HelmResult {
  const dir = mkdtempSync(join(tmpdir(), 'sandgate-helm-'));
  try {
    const args = command === 'lint' ? ['lint', '--strict', CHART, '--namespace', render.namespace] : ['template', render.release ?? 'sandgate', CHART, '--namespace', render.namespace];
    for (const file of render.valuesFiles ?? []) args.push('-f', join(REPO_ROOT, file));
    if (render.values) {
      writeFileSync(join(dir, 'values.json'), JSON.stringify(render.values));
      args.push('-f', join(dir, 'values.json'));
    }
    const r = spawnSync(HELM_BIN, args, { encoding: 'utf8', env: { ...process.env, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir } });
    if (r.error) throw r.error;
    return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders the chart; a failed render throws with helm's message. */
export function helmTemplate(render: Render): KubernetesObject[] {
  const r = helm(render);
  if (!r.ok) throw new Error(`helm template failed: ${r.stderr.trim()}`);
  return parseManifests(r.stdout);
}

/** Renders the chart expecting a failure; returns helm's message (throws when the render succeeded). */
export function helmTemplateError(render: Render): string {
  const r = helm(render);
  if (r.ok) throw new Error('helm template succeeded, a failure was expected');
  return r.stderr;
}

export function parseManifests(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((d): d is KubernetesObject => d !== null && typeof d === 'object' && 'kind' in d);
}

/** Every document of a YAML file (path relative to the repository root). */
export function manifestFile(file: string): KubernetesObject[] {
  return parseManifests(readFileSync(join(REPO_ROOT, file), 'utf8'));
}

export const describeObject = (o: KubernetesObject) => `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}${o.metadata?.namespace ? ` in ${o.metadata.namespace}` : ''}`;

/**
 * Creates every object with `dryRun=All`: the API server runs defaulting, schema (CRD) validation and
 * admission but persists nothing. Namespaced objects without a namespace get `namespace`. Resolves with
 * the server's answers; rejects with every refusal at once.
 */
export async function dryRunCreate(objects: KubernetesObjectApi, docs: KubernetesObject[], namespace: string): Promise<KubernetesObject[]> {
  const results = await Promise.allSettled(
    docs.map(async (doc) => {
      const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition'].includes(doc.kind ?? '');
      const body = clusterScoped || doc.metadata?.namespace ? doc : { ...doc, metadata: { ...doc.metadata, namespace } };
      try {
        return await objects.create(body, undefined, 'All');
      } catch (err) {
        throw new Error(`${describeObject(body)}: ${kubeMessage(err)}`);
      }
    }),
  );
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
  if (refused.length > 0) throw new Error(`the API server refused ${refused.length} of ${docs.length} objects:\n  ${refused.join('\n  ')}`);
  return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}
