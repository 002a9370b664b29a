/** `sandgate admin`: the management port's admin API from the command line. */
import type { Command } from 'commander';
import { SandgateError } from '../errors/errors.js';

interface AdminOpts {
  management: string;
  token?: string;
}

async function call(opts: AdminOpts, method: string, path: string): Promise<unknown> {
  const token = opts.token ?? process.env.SANDGATE_ADMIN_TOKEN ?? '';
  if (!token) throw new SandgateError('SG_ADMIN_UNAUTHORIZED', 'set SANDGATE_ADMIN_TOKEN (or --token)');
  const base = opts.management.includes('://') ? opts.management : `http://${opts.management}`;
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const body: unknown = res.status === 204 ? { ok: true } : await res.json();
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } }).error;
    throw new Error(`${res.status} ${err?.code ?? ''}: ${err?.message ?? ''}`);
  }
  return body;
}

export function registerAdmin(program: Command): void {
  const admin = program
    .command('admin')
    .description('list, suspend, resume or delete sandboxes through the admin API')
    .option('--management <host:port>', 'management address of the gateway', process.env.SANDGATE_MANAGEMENT ?? '127.0.0.1:9090')
    .option('--token <token>', 'admin token (prefer env SANDGATE_ADMIN_TOKEN)');
  const out = (v: unknown): void => {
    process.stdout.write(JSON.stringify(v, null, 2) + '\n');
  };
  const opts = () => admin.opts<AdminOpts>();
  const tenantPath = (t: string) => `/v1/sandboxes/${encodeURIComponent(t)}`;
  admin.command('list').description('every sandbox of the gateway').action(async () => out(await call(opts(), 'GET', '/v1/sandboxes')));
  admin.command('suspend').argument('<tenant>').description('suspend with live state kept').action(async (t: string) => out(await call(opts(), 'POST', `${tenantPath(t)}/suspend`)));
  admin.command('resume').argument('<tenant>').description('resume now').action(async (t: string) => out(await call(opts(), 'POST', `${tenantPath(t)}/resume`)));
  admin.command('delete').argument('<tenant>').description('destroy the sandbox').action(async (t: string) => out(await call(opts(), 'DELETE', tenantPath(t))));
}
