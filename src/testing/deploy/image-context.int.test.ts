/**
 * The image's build stage on a fresh checkout, without a container engine: the tracked files that
 * .dockerignore admits are copied into an empty directory (what a builder or kaniko's git context
 * sees), the build stage's `npm run build` runs there against the locked dependencies, and the result is
 * a `sandgate` whose help lists the commands the image runs.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerignoreAdmits } from './dockerfile.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sandgate-image-context-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a fresh checkout filtered by .dockerignore builds dist/ and a working sandgate', { timeout: 300_000 }, () => {
  const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  const context = tracked.filter((f) => dockerignoreAdmits(dockerignore, f));
  assert.ok(context.includes('package-lock.json') && context.some((f) => f.startsWith('src/')));
  assert.ok(!context.some((f) => f.startsWith('deploy/') || f.startsWith('docs/')), 'only what the image needs is sent');
  for (const f of context) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir'); // stands in for `npm ci` of the same lockfile
  const build = spawnSync('npm', ['run', 'build'], { cwd: dir, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build in the image context failed:\n${build.stdout}${build.stderr}`);
  const help = execFileSync(process.execPath, [join(dir, 'dist/cli/main.js'), '--help'], { encoding: 'utf8' });
  assert.match(help, /^\s+serve\b/m);
  assert.match(help, /^\s+sandbox\b/m);
});
