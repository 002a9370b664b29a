import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameBoundaryTracker, closeFrame } from './ws-frames.js';

function frame(payloadLength: number, masked = false): Buffer {
  const head =
    payloadLength < 126
      ? Buffer.from([0x81, payloadLength | (masked ? 0x80 : 0)])
      : payloadLength < 65536
        ? Buffer.from([0x82, 126 | (masked ? 0x80 : 0), payloadLength >> 8, payloadLength & 0xff])
        : Buffer.concat([Buffer.from([0x82, 127 | (masked ? 0x80 : 0)]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(payloadLength)); return b; })()]);
  return Buffer.concat([head, masked ? Buffer.alloc(4, 7) : Buffer.alloc(0), Buffer.alloc(payloadLength, 1)]);
}

test('close frame encodes code and reason unmasked', () => {
  const f = closeFrame(1001, 'bye');
  assert.deepEqual([...f.subarray(0, 4)], [0x88, 5, 0x03, 0xe9]);
  assert.equal(f.subarray(4).toString(), 'bye');
});

test('tracks boundaries across split chunks of small, 16-bit and 64-bit frames', () => {
  const stream = Buffer.concat([frame(5), frame(300, true), frame(70000), frame(0)]);
  for (const size of [1, 3, 7, 1000, stream.length]) {
    const t = new FrameBoundaryTracker();
    for (let i = 0; i < stream.length; i += size) {
      t.consume(stream.subarray(i, i + size));
    }
    assert.ok(t.atBoundary, `chunk size ${size}`);
  }
  const t = new FrameBoundaryTracker();
  t.consume(stream.subarray(0, 9));
  assert.equal(t.atBoundary, false);
});

test('stopAtBoundary returns the offset of the first frame end', () => {
  const a = frame(5);
  const both = Buffer.concat([a, frame(10)]);
  const t = new FrameBoundaryTracker();
  t.consume(both.subarray(0, 3));
  assert.equal(t.consume(both.subarray(3), true), a.length - 3);
  assert.ok(t.atBoundary);
  assert.equal(t.consume(Buffer.from([1]), true), 0);
});
