/**
 * Channel credentials for the gRPC backends: plaintext h2c or TLS (optional CA bundle, optional
 * server name override), plus a bearer token read from a file on every call, so that a rotated
 * (projected) token is picked up without a restart. The token never appears in errors or logs.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { credentials, Metadata, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { SandgateError } from '../errors/errors.js';

export interface ChannelSecurity {
  tls: boolean;
  /** PEM CA bundle file (empty or undefined: system roots). */
  caFile?: string | undefined;
  /** Client certificate + key files for mTLS (both or neither). */
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** File with the bearer token (empty or undefined: no authorization header). */
  tokenFile?: string | undefined;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new SandgateError('SG_CONFIG_INVALID', `${what} ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads the token file (trimmed); a missing or empty file is a terminal configuration problem. */
async function readBearerToken(file: string): Promise<string> {
  let token: string;
  try {
    token = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    throw new SandgateError('SG_BACKEND_TERMINAL', `bearer token file ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err, detail: { reason: 'TokenUnreadable' } });
  }
  if (!token) throw new SandgateError('SG_BACKEND_TERMINAL', `bearer token file ${file} is empty`, { detail: { reason: 'TokenUnreadable' } });
  return token;
}

/**
 * Call credentials are only combined with TLS by grpc-js; for plaintext channels the bearer header
 * is added per call by `callMetadata()` instead.
 */
export function channelCredentials(security: ChannelSecurity): ChannelCredentials {
  if (!security.tls) return credentials.createInsecure();
  const ca = security.caFile ? readPem(security.caFile, 'CA bundle') : null;
  const cert = security.certFile ? readPem(security.certFile, 'client certificate') : null;
  const key = security.keyFile ? readPem(security.keyFile, 'client key') : null;
  return credentials.createSsl(ca, key, cert);
}

/** Metadata for one call: `authorization: Bearer <token>` when a token file is configured. */
export async function callMetadata(security: Pick<ChannelSecurity, 'tokenFile'>): Promise<Metadata> {
  const metadata = new Metadata();
  if (security.tokenFile) metadata.set('authorization', `Bearer ${await readBearerToken(security.tokenFile)}`);
  return metadata;
}

/** TLS server-name override (SNI + certificate check) when the address is not the certificate's name. */
export function serverNameOptions(serverName: string | undefined): ChannelOptions {
  return serverName ? { 'grpc.ssl_target_name_override': serverName, 'grpc.default_authority': serverName } : {};
}
