/**
 * Loads our own minimal .proto files from the package's proto/ directory (shipped next to dist/).
 * Each backend that speaks gRPC keeps its protos under proto/<package path>/ with pinned field numbers.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type GrpcObject } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** proto/ at the package root: two levels above dist/grpc/ (and src/grpc/). */
const PROTO_ROOT = fileURLToPath(new URL('../../proto/', import.meta.url));

/**
 * Loads `file` (relative to proto/, e.g. `ateapi/control.proto`). Field names stay as written in the
 * proto (snake_case), enums are strings, 64-bit integers strings, defaults filled in.
 */
export function loadProto(file: string): GrpcObject {
  if (!existsSync(`${PROTO_ROOT}${file}`)) throw new Error(`proto file ${file} is missing under ${PROTO_ROOT} (it ships with the package)`);
  const definition = loadSync(file, { includeDirs: [PROTO_ROOT], keepCase: true, enums: String, longs: String, defaults: true, oneofs: true });
  return loadPackageDefinition(definition);
}
