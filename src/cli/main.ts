#!/usr/bin/env node
/** The `sandgate` command. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isSandgateError } from '../errors/errors.js';
import { registerRollouts } from '../rollouts/cli/index.js';
import { registerServe } from './serve.js';
import { registerSandbox } from './sandbox.js';
import { registerToken } from './token.js';
import { registerDoctor } from './doctor.js';
import { registerDemo } from './demo.js';
import { registerBenchOverhead } from './bench-overhead.js';
import { registerBench } from './bench.js';
import { registerAdmin } from './admin.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('sandgate')
  .description('Per-tenant isolated browser gateway: one Chromium sandbox per caller.')
  .version(pkg.version)
  .showHelpAfterError();
registerServe(program);
registerSandbox(program);
registerToken(program);
registerDoctor(program);
registerDemo(program);
registerBench(program);
registerAdmin(program);
registerBenchOverhead(program);
registerRollouts(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (isSandgateError(err)) {
    process.stderr.write(`sandgate: ${err.code}: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
