import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata, status } from '@grpc/grpc-js';
import { SandgateError } from '../errors/errors.js';
import { grpcError, sandgateCode } from './status.js';

function serviceError(code: status, details: string): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

test('retryable gRPC codes map to SG_BACKEND_UNAVAILABLE, the rest to SG_BACKEND_TERMINAL', () => {
  assert.equal(sandgateCode(status.UNAVAILABLE), 'SG_BACKEND_UNAVAILABLE');
  assert.equal(sandgateCode(status.DEADLINE_EXCEEDED), 'SG_BACKEND_UNAVAILABLE');
  assert.equal(sandgateCode(status.RESOURCE_EXHAUSTED), 'SG_BACKEND_UNAVAILABLE');
  assert.equal(sandgateCode(status.UNAUTHENTICATED), 'SG_BACKEND_TERMINAL');
  assert.equal(sandgateCode(status.PERMISSION_DENIED), 'SG_BACKEND_TERMINAL');
  assert.equal(sandgateCode(status.INVALID_ARGUMENT), 'SG_BACKEND_TERMINAL');
  assert.equal(sandgateCode(status.CANCELLED), 'SG_ENSURE_ABORTED');
});

test('grpcError names the call, the code and a hint, keeps the cause, and passes SandgateErrors through', () => {
  const cause = serviceError(status.UNAUTHENTICATED, 'invalid bearer token');
  const err = grpcError('CreateSandbox sg-a', cause);
  assert.equal(err.code, 'SG_BACKEND_TERMINAL');
  assert.equal(err.detail?.reason, 'UNAUTHENTICATED');
  assert.match(err.message, /^CreateSandbox sg-a failed: UNAUTHENTICATED: invalid bearer token — .*token file/);
  assert.equal(err.cause, cause);
  const typed = new SandgateError('SG_ENSURE_TIMEOUT');
  assert.equal(grpcError('x', typed), typed);
  assert.equal(grpcError('x', new Error('socket hang up')).code, 'SG_BACKEND_UNAVAILABLE');
});
