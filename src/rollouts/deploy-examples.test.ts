/** The shipped examples stay consistent with the code: config loads, routes and args match. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadRolloutsConfig } from './config/load.js';

type Doc = { kind?: string; data?: Record<string, string>; spec?: Record<string, unknown> };
const docs = (path: string): Doc[] => parseAllDocuments(readFileSync(new URL(`../../deploy/rollouts/${path}`, import.meta.url), 'utf8')).map((d) => d.toJS() as Doc);

test('the service manifest config loads with the real loader', () => {
  const cm = docs('service.yaml').find((d) => d.kind === 'ConfigMap');
  const dir = mkdtempSync(join(tmpdir(), 'sg-deploy-'));
  writeFileSync(join(dir, 'config.yaml'), cm?.data?.['config.yaml'] ?? '');
  const cfg = loadRolloutsConfig({ file: join(dir, 'config.yaml'), env: { GOOGLE_API_KEY: 'k' } });
  assert.equal(cfg.listen, '0.0.0.0:8080');
  assert.deepEqual(cfg.issueLabels, ['jules']);
});

test('the Rollout passes exactly the args the AnalysisTemplate needs', () => {
  const template = docs('argo/analysis-template.yaml')[0]?.spec as { args: Array<{ name: string; value?: string; valueFrom?: unknown }> };
  const rollout = docs('argo/rollout.yaml')[0]?.spec as { strategy: { canary: { steps: Array<{ analysis?: { args: Array<{ name: string }> } }> } } };
  const passed = rollout.strategy.canary.steps.flatMap((s) => s.analysis?.args.map((a) => a.name) ?? []);
  const required = template.args.filter((a) => a.value === undefined && a.valueFrom === undefined).map((a) => a.name);
  assert.deepEqual(passed.sort(), required.sort());
});

test('the Flagger canary calls the gate with both modes', () => {
  const canary = docs('flagger/canary.yaml')[0]?.spec as { analysis: { webhooks: Array<{ type: string; url: string }> } };
  const hooks = canary.analysis.webhooks.map((w) => `${w.type} ${new URL(w.url).pathname}${new URL(w.url).search}`);
  assert.deepEqual(hooks, ['rollout /flagger/v1/gate?mode=rollback-only', 'confirm-promotion /flagger/v1/gate?mode=promotion']);
});
