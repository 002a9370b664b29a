import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LINE, redact } from './redact.js';

test('secrets, tokens, credentials, emails and IPs are redacted', () => {
  const cases: Array<[string, RegExp]> = [
    ['curl -H "X-Auth: Bearer abcdefghijklmnop1234"', /Bearer \[REDACTED\]/],
    ['jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlX2hlcmU', /\[REDACTED\]|\[REDACTED_JWT\]/],
    ['using key ghp_0123456789abcdefghijABCDEFGHIJ012345', /\[REDACTED_TOKEN\]/],
    ['aws AKIAABCDEFGHIJKLMNOP here', /\[REDACTED_TOKEN\]/],
    ['{"password":"hunter2","user":"bob"}', /"password":\[REDACTED\]/],
    ['api_key=s3cr3t&x=1', /api_key=\[REDACTED\]/],
    ['connect postgres://admin:pa55@db:5432/app', /postgres:\/\/\[REDACTED\]@db/],
    ['mail from alice@example.com failed', /mail from \[EMAIL\] failed/],
    ['client 10.244.1.17:53122 reset', /client \[IP\]:53122 reset/],
    ['peer 2001:db8:0:0:0:0:2:1 and fe80::1ff:fe23:4567:890a', /peer \[IP\] and \[IP\]/],
  ];
  for (const [line, expected] of cases) {
    const out = redact(line);
    assert.match(out, expected, line);
  }
  assert.doesNotMatch(redact('{"password":"hunter2"}'), /hunter2/);
  assert.doesNotMatch(redact('Authorization: Bearer abcdefghijklmnop1234'), /abcdefghijklmnop1234/);
  assert.doesNotMatch(redact('token: abc.def-ghi'), /abc\.def/);
  assert.doesNotMatch(redact('ssh -----BEGIN RSA PRIVATE KEY----- MIIEow -----END RSA PRIVATE KEY-----'), /MIIEow/);
});

test('ordinary log lines pass unchanged (times, versions, status lines)', () => {
  for (const line of ['2024/05/01 12:00:01 200 - blue', 'GET /color 500 12ms', 'std::vector<int> resized', 'version 1.2.3 started']) {
    assert.equal(redact(line), line);
  }
});

test('overlong lines are cut before the patterns run', () => {
  const out = redact('x'.repeat(MAX_LINE + 500));
  assert.equal(out.length, MAX_LINE + 1);
});
