/** `sandgate sandbox`: the in-sandbox runtime (local process, bwrap/gVisor box or container). */
import type { Command } from 'commander';
import { runSandbox } from '../sandbox/main.js';

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the in-sandbox runtime: one Chromium, Playwright + CDP on one port under a secret path')
    .option('--host <host>', 'listen address', process.env.SANDGATE_SANDBOX_HOST ?? '0.0.0.0')
    .option('--port <port>', 'listen port (0 = any free port)', process.env.SANDGATE_SANDBOX_PORT ?? '9222')
    .option('--chromium-path <path>', 'Chromium executable', process.env.SANDGATE_CHROMIUM_PATH ?? '/usr/lib/chromium/chromium')
    .option('--chromium-args <args>', 'extra Chromium flags, space separated', process.env.SANDGATE_CHROMIUM_ARGS ?? '')
    .option('--socket <path>', 'listen on a Unix socket instead of host:port (sandboxes without a network)', process.env.SANDGATE_SANDBOX_SOCKET)
    .option('--mcp-url <url>', 'MCP server inside the sandbox, forwarded at /<secret>/mcp', process.env.SANDGATE_SANDBOX_MCP_URL)
    .addHelpText('after', '\nThe path secret is read from SANDGATE_SANDBOX_SECRET (generated when unset); the ready line on stdout names it.')
    .action(async (opts: { host: string; port: string; socket?: string; chromiumPath: string; chromiumArgs: string; mcpUrl?: string }) => {
      await runSandbox({
        host: opts.host,
        port: Number(opts.port),
        socketPath: opts.socket,
        secret: process.env.SANDGATE_SANDBOX_SECRET || undefined,
        chromiumPath: opts.chromiumPath,
        chromiumArgs: opts.chromiumArgs.split(/\s+/).filter(Boolean),
        mcpUrl: opts.mcpUrl,
      });
    });
}
