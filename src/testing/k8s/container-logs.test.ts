import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerLogs, formatTimestamp, readLog, type LogInstance, type ReadOptions } from './container-logs.js';
import { LogQueryError, parseLogQuery } from './kubelet-logs.js';
import { logScriptOf, runLogScript } from './log-script.js';

async function read(instance: LogInstance, o: ReadOptions): Promise<string> {
  let out = '';
  await readLog(instance, o, (c) => (out += c));
  return out;
}

function fiveLines(): LogInstance {
  const log = new ContainerLogs().start('uid-1', 'app');
  log.write('stdout', 'one\ntwo\nthr');
  log.write('stdout', 'ee\n');
  log.write('stderr', 'four\n');
  log.write('stdout', 'five\n');
  return log;
}

test('lines are split as they arrive, a partial line waits for its newline; both streams interleave', async () => {
  const log = fiveLines();
  log.write('stdout', 'six (no newline yet)');
  assert.equal(await read(log, {}), 'one\ntwo\nthree\nfour\nfive\n');
  log.end();
  assert.equal(await read(log, { tailLines: 1 }), 'six (no newline yet)\n');
  assert.equal(await read(log, { streams: ['stderr'] }), 'four\n');
});

test('tailLines takes the last N lines first, then the since-window drops the older ones (kubelet order)', async () => {
  const log = fiveLines();
  const third = log.lines[2]?.timeNs ?? 0n;
  assert.equal(await read(log, { tailLines: 2 }), 'four\nfive\n');
  assert.equal(await read(log, { tailLines: 0 }), '');
  assert.equal(await read(log, { tailLines: 10 }), 'one\ntwo\nthree\nfour\nfive\n');
  assert.equal(await read(log, { sinceNs: third }), 'three\nfour\nfive\n');
  // the window does not refill the tail: of the last 4 lines only those since "three" remain
  assert.equal(await read(log, { tailLines: 4, sinceNs: third }), 'three\nfour\nfive\n');
  assert.equal(await read(log, { tailLines: 2, sinceNs: third }), 'four\nfive\n');
});

test('limitBytes cuts the output, even inside a line; timestamps are RFC 3339 with nine fraction digits', async () => {
  const log = fiveLines();
  assert.equal(await read(log, { limitBytes: 6 }), 'one\ntw');
  const stamped = await read(log, { timestamps: true, tailLines: 1 });
  assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z five\n$/);
  assert.equal(formatTimestamp(1_700_000_000_123_456_789n), '2023-11-14T22:13:20.123456789Z');
  assert.equal(formatTimestamp(1_700_000_000_000_000_007n), '2023-11-14T22:13:20.000000007Z');
});

test('follow streams new lines until the instance ends; a restart makes the old instance "previous"', async () => {
  const logs = new ContainerLogs();
  const first = logs.start('uid-1', 'app');
  first.write('stdout', 'a\n');
  let out = '';
  const following = readLog(first, { follow: true, tailLines: 0 }, (c) => (out += c));
  first.write('stdout', 'b\nc\n');
  const second = logs.start('uid-1', 'app'); // restart: ends the first instance
  second.write('stdout', 'new\n');
  await following;
  assert.equal(out, 'b\nc\n');
  assert.equal(logs.instance('uid-1', 'app', true), first);
  assert.equal(logs.instance('uid-1', 'app'), second);
  assert.equal(logs.instance('uid-1', 'other'), undefined);
  logs.forget('uid-1');
  assert.equal(logs.instance('uid-1', 'app'), undefined);
});

test('query decoding and validation as the kubelet does it', () => {
  const now = 10_000_000_000_000n;
  const q = (s: string) => parseLogQuery(new URLSearchParams(s), now);
  assert.deepEqual(q('tailLines=5&sinceSeconds=2&timestamps=true&limitBytes=100&follow=1&previous=false'), {
    tailLines: 5, limitBytes: 100, sinceNs: now - 2_000_000_000n, timestamps: true, follow: true, previous: false, streams: ['stdout', 'stderr'],
  });
  assert.equal(q('tail=3').tailLines, 3);
  assert.equal(q('tail=all&tailLines=3').tailLines, undefined);
  assert.equal(q('sinceTime=2023-11-14T22:13:20Z').sinceNs, 1_700_000_000_000_000_000n);
  assert.deepEqual(q('stream=Stderr').streams, ['stderr']);
  const status = (s: string) => {
    try {
      q(s);
      return 200;
    } catch (err) {
      assert.ok(err instanceof LogQueryError);
      return err.status;
    }
  };
  assert.deepEqual(['tailLines=x', 'follow=maybe', 'sinceTime=yesterday'].map(status), [400, 400, 400]);
  assert.deepEqual(['tailLines=-1', 'limitBytes=0', 'sinceSeconds=0', 'sinceSeconds=5&sinceTime=2023-11-14T22:13:20Z', 'stream=Both'].map(status), [422, 422, 422, 422, 422]);
});

test('log scripts: printed lines with the repetition index, an exit ends the instance; bad scripts are refused with the reason', async () => {
  const script = logScriptOf([{ name: 'SANDGATE_TEST_LOG', value: JSON.stringify([{ print: 'GET /color 200 {i}ms', times: 3 }, { print: 'panic: boom\ngoroutine 1 [running]:', stream: 'stderr' }, { exit: 2 }]) }]);
  assert.ok(script);
  const log = new ContainerLogs().start('uid-1', 'app');
  const container = runLogScript(script, log);
  assert.equal(await container.exited, 'container exited (code 2)');
  assert.equal(container.pid, undefined);
  assert.equal(log.running, false);
  assert.deepEqual(log.lines.map((l) => `${l.stream}:${l.text}`), ['stdout:GET /color 200 0ms', 'stdout:GET /color 200 1ms', 'stdout:GET /color 200 2ms', 'stderr:panic: boom', 'stderr:goroutine 1 [running]:']);
  assert.equal(logScriptOf([{ name: 'OTHER', value: '[]' }]), undefined);
  assert.throws(() => logScriptOf([{ name: 'SANDGATE_TEST_LOG', value: '[{' }]), /SANDGATE_TEST_LOG is not JSON/);
  assert.throws(() => logScriptOf([{ name: 'SANDGATE_TEST_LOG', value: '[{"print": "x", "times": 0}]' }]), /not a valid log script: 0/);
});

test('a stopped script ends its log and stops printing', async () => {
  const script = logScriptOf([{ name: 'SANDGATE_TEST_LOG', value: '[{"print": "tick {i}", "times": 1000, "everyMs": 5}]' }]);
  assert.ok(script);
  const log = new ContainerLogs().start('uid-1', 'app');
  const container = runLogScript(script, log);
  await new Promise((r) => setTimeout(r, 30));
  await container.stop();
  const printed = log.lines.length;
  assert.ok(printed >= 1 && printed < 1000, String(printed));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(log.lines.length, printed);
  assert.equal(await container.exited, 'container stopped');
});
