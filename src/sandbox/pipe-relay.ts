/**
 * Inside a gVisor sandbox: nothing may hold a host socket (checkpoint/restore rule), so Chromium
 * speaks CDP over --remote-debugging-pipe and this relay maps its fds 3 (in) / 4 (out) to our
 * stdin / stdout. Messages are NUL-delimited JSON, unchanged.
 *   node pipe-relay.js <chromium> [extra chromium args…]
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { BASE_CHROMIUM_ARGS, sandboxArgs } from './chromium.js';

const [chromiumPath = '/usr/lib/chromium/chromium', ...extra] = process.argv.slice(2);
const browser = spawn(
  chromiumPath,
  [
    '--headless',
    '--remote-debugging-pipe',
    `--user-data-dir=${process.env.TMPDIR ?? '/tmp'}/profile`,
    '--disable-gpu',
    ...BASE_CHROMIUM_ARGS,
    ...sandboxArgs(process.getuid?.() === 0),
    ...extra,
    'about:blank',
  ],
  { stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'] },
);
process.stdin.pipe(browser.stdio[3] as Writable);
(browser.stdio[4] as Readable).pipe(process.stdout);
process.stdin.on('end', () => browser.kill('SIGTERM'));
browser.on('exit', (code) => process.exit(code ?? 1));
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => browser.kill('SIGTERM'));
