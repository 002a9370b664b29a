/** `sandgate bench-overhead`: what the gateway adds over a direct connection, measured in one run. */
import type { Command } from 'commander';
import { overheadReport, runOverhead } from '../bench/overhead/run.js';

export function registerBenchOverhead(program: Command): void {
  program
    .command('bench-overhead')
    .description('measure gateway vs direct-to-sandbox (session start, page.evaluate round trip) and memory per idle session')
    .option('--runs <n>', 'measured session starts per side', '20')
    .option('--warmup <n>', 'discarded session starts per side', '3')
    .option('--round-trips <n>', 'page.evaluate calls per side', '2000')
    .option('--idle-sessions <n>', 'idle sessions created for the memory measurement', '10')
    .option('--chromium-path <path>', 'Chromium executable', process.env.SANDGATE_CHROMIUM_PATH ?? '/usr/lib/chromium/chromium')
    .option('--json <file>', 'write the raw result as JSON')
    .action(async (o: { runs: string; warmup: string; roundTrips: string; idleSessions: string; chromiumPath: string; json?: string }) => {
      const result = await runOverhead(
        { runs: Number(o.runs), warmup: Number(o.warmup), roundTrips: Number(o.roundTrips), idleSessions: Number(o.idleSessions), chromiumPath: o.chromiumPath, json: o.json },
        (s) => process.stderr.write(`[bench-overhead] ${s}\n`),
      );
      process.stdout.write(overheadReport(result) + '\n');
    });
}
