import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RolloutError } from '../errors.js';
import { loadRolloutsConfig, rolloutsEnvName, rolloutsFlagName } from './load.js';

test('defaults parse, durations become milliseconds, the result is frozen', () => {
  const cfg = loadRolloutsConfig({ env: {} });
  assert.equal(cfg.since, 900_000);
  assert.equal(cfg.llmProvider, 'none');
  assert.deepEqual(cfg.issueLabels, ['jules']);
  assert.deepEqual(cfg.metrics, []);
  assert.ok(Object.isFrozen(cfg));
});

test('precedence: flags > SANDGATE_ROLLOUTS_* env > file > defaults; well-known secrets as fallback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-ro-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'tailLines: 100\nnamespace: shop\nmetrics:\n  - name: errors\n    query: sum(x)\n    critical: true\n');
  const cfg = loadRolloutsConfig({
    file,
    env: { SANDGATE_ROLLOUTS_NAMESPACE: 'prod', SANDGATE_ROLLOUTS_LLM_PROVIDER: 'gemini', GOOGLE_API_KEY: 'g-key', GITHUB_TOKEN: 'gh-token' },
    flags: { namespace: 'flagged', tailLines: undefined },
  });
  assert.equal(cfg.tailLines, 100);
  assert.equal(cfg.namespace, 'flagged');
  assert.equal(cfg.llmApiKey, 'g-key');
  assert.equal(cfg.githubToken, 'gh-token');
  assert.deepEqual(cfg.metrics, [{ name: 'errors', query: 'sum(x)', critical: true, worse: 'higher', tolerance: 0.1 }]);
  assert.equal(loadRolloutsConfig({ env: { SANDGATE_ROLLOUTS_GITHUB_TOKEN: 'mine', GITHUB_TOKEN: 'other' } }).githubToken, 'mine');
});

test('every problem is reported at once with its key', () => {
  assert.throws(
    () => loadRolloutsConfig({ env: { SANDGATE_ROLLOUTS_LISTEN: 'x', SANDGATE_ROLLOUTS_SINCE: 'soon', SANDGATE_ROLLOUTS_LLM_PROVIDER: 'openai', SANDGATE_ROLLOUTS_ROLLBACK_THRESHOLD: '0.9', SANDGATE_ROLLOUTS_METRICS: '[{"name":"x"}]' } }),
    (err: unknown) => {
      assert.ok(err instanceof RolloutError);
      assert.equal(err.code, 'SG_ROLLOUT_CONFIG_INVALID');
      const problems = err.detail?.problems as string[];
      for (const key of ['listen', 'since', 'llmModel', 'rollbackThreshold', 'metrics.0.query']) assert.ok(problems.some((p) => p.startsWith(key + ':')), `${key} in ${problems.join(' / ')}`);
      return true;
    },
  );
});

test('names derive from keys', () => {
  assert.equal(rolloutsEnvName('llmApiKey'), 'SANDGATE_ROLLOUTS_LLM_API_KEY');
  assert.equal(rolloutsFlagName('promoteThreshold'), 'promote-threshold');
});
