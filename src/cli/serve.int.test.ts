/** `sandgate serve` as a real process: the fixed CLI contract and graceful shutdown on SIGTERM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { CHROMIUM_PATH, chromiumSkip } from '../testing/prereq.js';
import { descendants, isAlive } from '../process/tree.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));

function openWs(url: string, tenant: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { 'X-Sandgate-Tenant': tenant } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

test('SIGTERM with open sessions: clients see 1001, no Chromium is left behind, exit 0', { skip: chromiumSkip(), timeout: 60_000 }, async () => {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--backend', 'local-process', '--listen', '127.0.0.1:0', '--management', '127.0.0.1:0', '--identity', 'header', '--chromium-path', CHROMIUM_PATH],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SANDGATE_LOG_LEVEL: 'info' } },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = await new Promise<{ data: string; management: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { msg?: string; data?: string; management?: string };
      if (msg.msg === 'gateway listening' && msg.data && msg.management) resolve({ data: msg.data, management: msg.management });
    });
    void exited.then(() => reject(new Error('serve exited before listening')));
  });
  assert.equal((await fetch(`http://${listening.management}/readyz`)).status, 200);
  const sockets = await Promise.all(['t1', 't2'].map((t) => openWs(`ws://${listening.data}/cdp`, t)));
  const tree = descendants(child.pid as number);
  assert.ok(tree.length >= 4, `expected two runtimes with browsers, saw ${tree.length} processes`);
  const codes = sockets.map((ws) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))));
  child.kill('SIGTERM');
  assert.deepEqual(await Promise.all(codes), [1001, 1001]);
  assert.equal(await exited, 0);
  const survivors = tree.filter(isAlive);
  assert.deepEqual(survivors, [], `processes left behind: ${survivors.join(', ')}`);
});

test('--help and --version work; a bad flag value is a clear error naming the key', async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr.on('data', (d: Buffer) => (out += d.toString()));
      c.once('exit', (code) => resolve({ code, out }));
    });
  const help = await run(['serve', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /--idle-ttl <value>/);
  assert.match((await run(['--version'])).out, /^\d+\.\d+\.\d+/);
  const bad = await run(['serve', '--listen', 'nowhere', '--idle-ttl', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /SG_CONFIG_INVALID/);
  assert.match(bad.out, /listen:/);
  assert.match(bad.out, /idleTtl:/);
});
