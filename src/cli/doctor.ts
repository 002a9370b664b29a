/** `sandgate doctor`: reports what can run here; exit code says whether the chosen backend can. */
import type { Command } from 'commander';
import { BACKEND_NEEDS, checkBubblewrap, checkCgroups, checkChromium, checkKube, checkRunsc, type Check } from '../doctor/checks.js';
import { loadConfig } from '../config/load.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('report which sandbox tiers can run on this machine')
    .option('--backend <name>', 'backend whose prerequisites decide the exit code')
    .option('--chromium-path <path>', 'Chromium executable to check')
    .option('--json', 'print JSON')
    .action(async (opts: { backend?: string; chromiumPath?: string; json?: boolean }) => {
      const config = loadConfig({ flags: { backend: opts.backend, chromiumPath: opts.chromiumPath } });
      const checks: Check[] = [
        { name: 'node', ok: Number(process.versions.node.split('.')[0]) >= 20, detail: `node ${process.versions.node}` },
        await checkChromium(config.chromiumPath),
        await checkBubblewrap(),
        await checkRunsc(),
        checkCgroups(),
        checkKube(),
      ];
      const needs = BACKEND_NEEDS[config.backend] ?? [];
      const missing = checks.filter((c) => needs.includes(c.name) && !c.ok).map((c) => c.name);
      const ok = missing.length === 0;
      if (opts.json) {
        process.stdout.write(JSON.stringify({ backend: config.backend, ok, missing, checks }, null, 2) + '\n');
      } else {
        for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'no  '} ${c.name.padEnd(11)} ${c.detail}\n`);
        process.stdout.write('\ntiers:\n');
        for (const [tier, need] of Object.entries(BACKEND_NEEDS)) {
          const lacking = checks.filter((c) => need.includes(c.name) && !c.ok).map((c) => `${c.name} (${c.detail})`);
          process.stdout.write(`  ${tier.padEnd(14)} ${lacking.length === 0 ? 'can run' : `cannot run: ${lacking.join('; ')}`}\n`);
        }
        process.stdout.write(ok ? `\nbackend ${config.backend}: can run here\n` : `\nbackend ${config.backend}: cannot run, missing ${missing.join(', ')}\n`);
      }
      process.exitCode = ok ? 0 : 1;
    });
}
