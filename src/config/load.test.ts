import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envName, flagName, loadConfig } from './load.js';
import { SandgateError } from '../errors/errors.js';

test('defaults parse and durations become milliseconds', () => {
  const cfg = loadConfig({ env: {} });
  assert.equal(cfg.backend, 'local-process');
  assert.equal(cfg.idleTtl, 600_000);
  assert.equal(cfg.ensureTimeout, 30_000);
  assert.deepEqual(cfg.chromiumArgs, []);
  assert.ok(Object.isFrozen(cfg));
});

test('precedence: flags > env > file > defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cfg-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'idleTtl: 1m\nwarmPool: 2\nlisten: 127.0.0.1:7000\n');
  const cfg = loadConfig({
    file,
    env: { SANDGATE_WARM_POOL: '3', SANDGATE_LISTEN: '127.0.0.1:7001' },
    flags: { listen: '127.0.0.1:7002', idleTtl: undefined },
  });
  assert.equal(cfg.idleTtl, 60_000); // file
  assert.equal(cfg.warmPool, 3); // env over file
  assert.equal(cfg.listen, '127.0.0.1:7002'); // flag over env
});

test('every error is reported at once with its key', () => {
  assert.throws(
    () => loadConfig({ env: { SANDGATE_LISTEN: 'nope', SANDGATE_IDLE_TTL: 'soon', SANDGATE_BACKEND: 'k8s' } }),
    (err: unknown) => {
      assert.ok(err instanceof SandgateError);
      assert.equal(err.code, 'SG_CONFIG_INVALID');
      const problems = err.detail?.problems as string[];
      assert.equal(problems.length, 3);
      for (const key of ['listen', 'idleTtl', 'backend']) assert.ok(problems.some((p) => p.startsWith(key + ':')), key);
      return true;
    },
  );
});

test('identity=token requires a long secret; unknown keys in a file are rejected', () => {
  assert.throws(() => loadConfig({ env: { SANDGATE_IDENTITY: 'token', SANDGATE_TOKEN_SECRET: 'short' } }), /tokenSecret/);
  const dir = mkdtempSync(join(tmpdir(), 'sg-cfg-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ idelTtl: '1m' }));
  assert.throws(() => loadConfig({ file, env: {} }), /idelTtl|Unrecognized/);
});

test('names derive from keys', () => {
  assert.equal(envName('maxConnectionsPerTenant'), 'SANDGATE_MAX_CONNECTIONS_PER_TENANT');
  assert.equal(flagName('maxConnectionsPerTenant'), 'max-connections-per-tenant');
});
