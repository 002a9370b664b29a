/** Tests for options.ts: defaults, --quick, remote gateways, and every problem reported at once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBenchOptions } from './options.js';
import { SandgateError } from '../errors/errors.js';

const env = {};

test('defaults: embedded local-process, every scenario, 20 runs, 2 warm-up, concurrency 1', () => {
  const o = parseBenchOptions({}, env);
  assert.deepEqual(o.gateway, { kind: 'embedded', backends: ['local-process'], warmPool: 1 });
  assert.deepEqual(o.scenarios, ['cold', 'warm', 'pooled', 'restore', 'direct']);
  assert.equal(o.runs, 20);
  assert.equal(o.warmup, 2);
  assert.deepEqual(o.concurrency, [1]);
  assert.equal(o.protocol, 'playwright');
  assert.equal(o.outDir, 'bench-results');
  assert.equal(o.png, true);
  assert.equal(o.target, undefined);
});

test('--quick means 5 runs unless --runs is given; scenarios keep the fixed order', () => {
  assert.equal(parseBenchOptions({ quick: true }, env).runs, 5);
  assert.equal(parseBenchOptions({ quick: true, runs: '7' }, env).runs, 7);
  assert.deepEqual(parseBenchOptions({ scenarios: 'direct,cold' }, env).scenarios, ['cold', 'direct']);
});

test('concurrency levels are deduplicated and sorted; the warm pool covers the highest level', () => {
  const o = parseBenchOptions({ concurrency: '16, 1,4,4', warmPool: '2' }, env);
  assert.deepEqual(o.concurrency, [1, 4, 16]);
  assert.deepEqual(o.gateway, { kind: 'embedded', backends: ['local-process'], warmPool: 16 });
  assert.deepEqual(parseBenchOptions({ warmPool: '20', concurrency: '4' }, env).gateway, { kind: 'embedded', backends: ['local-process'], warmPool: 20 });
});

test('a remote gateway: header identity by default, http URL becomes ws, cold+warm by default', () => {
  const o = parseBenchOptions({ gateway: 'http://10.0.0.5:9000/', label: 'agent-sandbox' }, env);
  assert.deepEqual(o.gateway, { kind: 'remote', url: 'ws://10.0.0.5:9000', label: 'agent-sandbox', identity: 'header', identityHeader: 'X-Sandgate-Tenant', tokenSecret: '' });
  assert.deepEqual(o.scenarios, ['cold', 'warm']);
});

test('token identity takes the secret from the environment', () => {
  const secret = 'x'.repeat(32);
  const o = parseBenchOptions({ gateway: 'ws://g:9000', identity: 'token' }, { SANDGATE_TOKEN_SECRET: secret });
  assert.equal(o.gateway.kind === 'remote' ? o.gateway.tokenSecret : '', secret);
});

test('every problem is reported at once with its flag', () => {
  assert.throws(
    () => parseBenchOptions({ runs: '0', warmup: '-1', concurrency: '2,x', protocol: 'ftp', backends: 'docker', scenarios: 'cold,hot', target: 'file:///x', identity: 'path' }, env),
    (err: unknown) => {
      assert.ok(err instanceof SandgateError);
      assert.equal(err.code, 'SG_CONFIG_INVALID');
      const problems = err.detail?.problems as string[];
      for (const flag of ['--runs', '--warmup', '--concurrency', '--protocol', '--backends', '--scenarios', '--target', '--identity']) {
        assert.ok(problems.some((p) => p.startsWith(flag)), `missing ${flag} in ${problems.join(' / ')}`);
      }
      return true;
    },
  );
});

test('restore and token identity without a secret are refused for a remote gateway', () => {
  assert.throws(() => parseBenchOptions({ gateway: 'ws://g:9000', scenarios: 'restore' }, env), /restore needs an embedded gateway/);
  assert.throws(() => parseBenchOptions({ gateway: 'ws://g:9000', identity: 'token' }, env), /--token-secret/);
  assert.throws(() => parseBenchOptions({ gateway: 'ws://g:9000', backends: 'local-process' }, env), /--backends: only for embedded/);
});

test('--label names one embedded backend (e.g. a fake control plane); with several backends it is refused', () => {
  assert.deepEqual(parseBenchOptions({ backends: 'substrate', label: 'substrate (fake)' }, env).gateway, { kind: 'embedded', backends: ['substrate'], warmPool: 1, label: 'substrate (fake)' });
  assert.throws(() => parseBenchOptions({ backends: 'local-process,local-bwrap', label: 'x' }, env), (err: unknown) => err instanceof SandgateError && /--label: names one embedded backend/.test(err.message));
});
