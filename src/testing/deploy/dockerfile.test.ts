/**
 * deploy/image/Dockerfile without a container engine: every context COPY source is a tracked file of
 * this repository that .dockerignore admits, the build stage produces what the runtime stage copies, the
 * entrypoint is the package's `sandgate` command, and the commands the chart and the examples run
 * (`serve`, `sandbox --port`) are ones `sandgate --help` lists. The user matches the chart's runAsUser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { DEFAULTS } from '../../config/schema.js';
import { dockerignoreAdmits, parseDockerfile, readDockerfile, type Instruction } from './dockerfile.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const file = readDockerfile(ROOT);
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const ops = (op: string, stage?: number) => file.instructions.filter((i) => i.op === op && (stage === undefined || i.stage === stage));
const runtime = file.stages.length - 1;
const sandgate = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { encoding: 'utf8' });

test('parser: continuations, comments, flags and the JSON form', () => {
  const f = parseDockerfile('ARG A=1\nFROM x AS b\n# c\nRUN a \\\n  # inner\n  && b\nCOPY --from=b /s/ d/\nENTRYPOINT ["t", "--", "s"]\n');
  assert.deepEqual(f.stages, ['b']);
  assert.equal(f.args.A, '1');
  assert.deepEqual(f.instructions.map((i) => i.op), ['ARG', 'FROM', 'RUN', 'COPY', 'ENTRYPOINT']);
  assert.equal(f.instructions[2]?.text.replace(/\s+/g, ' '), 'a && b');
  assert.deepEqual(f.instructions[3]?.flags, { from: 'b' });
  assert.deepEqual(f.instructions[4]?.words, ['t', '--', 's']);
});

test('.dockerignore matching: last rule wins, parents count, ! re-includes', () => {
  const rules = '*\n!src/\n!package.json\nsrc/**/*.tmp\n';
  assert.equal(dockerignoreAdmits(rules, 'package.json'), true);
  assert.equal(dockerignoreAdmits(rules, 'src/a/b.ts'), true);
  assert.equal(dockerignoreAdmits(rules, 'src/a/b.tmp'), false);
  assert.equal(dockerignoreAdmits(rules, 'node_modules/x/index.js'), false);
  assert.equal(dockerignoreAdmits(rules, 'dist/cli/main.js'), false);
});

test('every COPY from the build context is tracked in git and admitted by .dockerignore', () => {
  const sources = ops('COPY').filter((c) => !c.flags.from).flatMap((c) => c.words.slice(0, -1));
  assert.ok(sources.length >= 4, `context sources: ${sources.join(' ')}`);
  for (const src of sources) {
    const tracked = execFileSync('git', ['ls-files', '--', src], { cwd: ROOT, encoding: 'utf8' }).trim();
    assert.ok(tracked, `${src} has no tracked file: a fresh checkout could not build the image`);
    assert.ok(dockerignoreAdmits(dockerignore, src), `.dockerignore leaves ${src} out of the context`);
  }
  assert.equal(dockerignoreAdmits(dockerignore, 'node_modules/typescript/package.json'), false, 'node_modules stays out of the context');
});

test('the runtime stage copies dist/ from the build stage, which runs the package build (tsc → dist)', () => {
  const build = file.stages.indexOf('build');
  assert.ok(build >= 0 && build < runtime);
  const fromBuild = ops('COPY', runtime).filter((c) => c.flags.from === 'build');
  const workdir = ops('WORKDIR', build)[0]?.words[0] ?? '';
  assert.deepEqual(fromBuild.map((c) => c.words[0]), [`${workdir}/dist/`]);
  assert.ok(ops('RUN', build).some((r) => /\bnpm run build\b/.test(r.text)));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { build: string }; bin: { sandgate: string } };
  assert.match(pkg.scripts.build, /^tsc\b/);
  assert.equal((parseYaml(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string } }).compilerOptions.outDir, 'dist');
  assert.ok(ops('RUN', runtime).some((r) => /\bnpm ci --omit=dev\b/.test(r.text)), 'production dependencies only');
  assert.equal(pkg.bin.sandgate, 'dist/cli/main.js');
});

test('base: Node 20 on Debian bookworm-slim with Debian chromium at the configured path', () => {
  const base = file.args.NODE_IMAGE ?? '';
  assert.match(base, /^node:20\.\d+\.\d+-bookworm-slim$/);
  assert.ok(ops('FROM').every((f) => f.words[0] === '${NODE_IMAGE}'));
  assert.ok(ops('RUN', runtime).some((r) => /apt-get install .*\bchromium\b/.test(r.text)));
  const env = ops('ENV', runtime).map((e) => e.text).join(' ');
  assert.match(env, new RegExp(`SANDGATE_CHROMIUM_PATH=${String(DEFAULTS.chromiumPath)}(\\s|$)`));
});

test('entrypoint `sandgate` is the package command; the image user is the non-root uid the chart runs as', () => {
  const entry = ops('ENTRYPOINT', runtime)[0] as Instruction;
  assert.equal(entry.words.at(-1), 'sandgate');
  const link = ops('RUN', runtime).map((r) => /ln -s (\S+) \/usr\/local\/bin\/sandgate/.exec(r.text)?.[1]).find(Boolean);
  const workdir = ops('WORKDIR', runtime)[0]?.words[0] ?? '';
  assert.equal(link, `${workdir}/dist/cli/main.js`);
  assert.ok(existsSync(join(ROOT, 'dist/cli/main.js')), 'run after npm run build');
  assert.match(readFileSync(join(ROOT, 'dist/cli/main.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  const user = ops('USER', runtime)[0]?.words[0] ?? '';
  assert.match(user, /^\d+:\d+$/, 'numeric, so runAsNonRoot can verify it');
  const values = parseYaml(readFileSync(join(ROOT, 'deploy/helm/sandgate/values.yaml'), 'utf8')) as { podSecurityContext: { runAsUser: number; runAsGroup: number } };
  assert.equal(user, `${values.podSecurityContext.runAsUser}:${values.podSecurityContext.runAsGroup}`);
});

test("the chart's appVersion (its default image tag) is the package version", () => {
  const chart = parseYaml(readFileSync(join(ROOT, 'deploy/helm/sandgate/Chart.yaml'), 'utf8')) as { appVersion: string };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(chart.appVersion, pkg.version);
});

test('the commands the chart and the examples run are commands of this sandgate', () => {
  const help = sandgate('--help');
  assert.match(help, /^\s+serve\b/m);
  assert.match(help, /^\s+sandbox\b/m);
  assert.match(readFileSync(join(ROOT, 'deploy/helm/sandgate/templates/deployment.yaml'), 'utf8'), /args: \["serve"\]/);
  assert.deepEqual(ops('CMD', runtime)[0]?.words, ['serve']);
  const sandboxHelp = sandgate('sandbox', '--help');
  type Pod = { spec?: { podTemplate?: { spec?: { containers?: { args?: string[]; command?: string[] }[] } }; containers?: { args?: string[]; command?: string[] }[] } };
  const runs = ['deploy/examples/agent-sandbox/sandbox-template.yaml', 'deploy/examples/substrate/actor-template.yaml'].flatMap((f) =>
    parseAllDocuments(readFileSync(join(ROOT, f), 'utf8'))
      .map((d) => d.toJS() as Pod)
      .flatMap((d) => [...(d.spec?.podTemplate?.spec?.containers ?? []), ...(d.spec?.containers ?? [])])
      .map((c) => (c.command ? c.command.slice(c.command.indexOf('sandgate') + 1) : (c.args ?? []))),
  );
  assert.equal(runs.length, 2);
  for (const argv of runs) {
    assert.equal(argv[0], 'sandbox', `runs ${argv.join(' ')}`);
    for (const flag of argv.filter((a) => a.startsWith('--'))) assert.ok(sandboxHelp.includes(`${flag} `), `sandgate sandbox has no ${flag}`);
  }
});
