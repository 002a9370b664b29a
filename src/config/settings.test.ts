import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEnv } from './settings.js';
import { loadConfig } from './load.js';

test('toEnv: config keys become the SANDGATE_* variables loadConfig reads back', () => {
  const env = toEnv({ backend: 'isola', sandboxPort: 9333, isolaEgressCidrs: ['10.0.0.0/8', '192.168.0.0/16'], sandboxSecret: 's'.repeat(16) });
  assert.deepEqual(env, { SANDGATE_BACKEND: 'isola', SANDGATE_SANDBOX_PORT: '9333', SANDGATE_ISOLA_EGRESS_CIDRS: '10.0.0.0/8 192.168.0.0/16', SANDGATE_SANDBOX_SECRET: 'ssssssssssssssss' });
  const config = loadConfig({ env });
  assert.equal(config.backend, 'isola');
  assert.equal(config.sandboxPort, 9333);
  assert.deepEqual(config.isolaEgressCidrs, ['10.0.0.0/8', '192.168.0.0/16']);
});
