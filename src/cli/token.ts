/** `sandgate token issue|verify`: HMAC-signed tenant tokens for identity=token. */
import type { Command } from 'commander';
import { issueToken, verifyToken } from '../identity/token.js';
import { parseDuration } from '../config/duration.js';
import { SandgateError } from '../errors/errors.js';

function secretFrom(opts: { secret?: string }): string {
  const secret = opts.secret ?? process.env.SANDGATE_TOKEN_SECRET ?? '';
  if (secret.length < 32) throw new SandgateError('SG_CONFIG_INVALID', 'set SANDGATE_TOKEN_SECRET (or --secret) to at least 32 characters');
  return secret;
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('issue or verify tenant tokens (identity=token)');
  token
    .command('issue')
    .description('print a signed token for a tenant')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 12h', '1h')
    .option('--secret <secret>', 'HMAC secret (prefer env SANDGATE_TOKEN_SECRET)')
    .action((opts: { tenant: string; ttl: string; secret?: string }) => {
      const ttl = parseDuration(opts.ttl);
      if (ttl === undefined || ttl === 0) throw new SandgateError('SG_CONFIG_INVALID', `--ttl: not a duration: ${opts.ttl}`);
      process.stdout.write(issueToken(secretFrom(opts), opts.tenant, ttl) + '\n');
    });
  token
    .command('verify')
    .description('check a token and print its tenant and expiry as JSON')
    .argument('<token>')
    .option('--secret <secret>', 'HMAC secret (prefer env SANDGATE_TOKEN_SECRET)')
    .action((value: string, opts: { secret?: string }) => {
      const claims = verifyToken(secretFrom(opts), value);
      process.stdout.write(JSON.stringify({ tenant: claims.sub, expires: new Date(claims.exp * 1000).toISOString() }) + '\n');
    });
}
