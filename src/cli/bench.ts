/**
 * `sandgate bench`: cold / warm / pooled / restore starts of each backend, and the same client
 * straight to a sandbox (direct) as the baseline for gateway overhead. Progress on stderr, the
 * Markdown report on stdout, files under --out (see docs/bench.md).
 */
import { Option, type Command } from 'commander';
import { parseBenchOptions, DEFAULT_POOL_SETTLE_MS, DEFAULT_RUNS, DEFAULT_TIMEOUT_MS, DEFAULT_WARMUP, QUICK_RUNS, type RawBenchOptions } from '../bench/options.js';
import { runBench } from '../bench/run.js';
import { report, writeOutputs } from '../bench/output.js';
import { descendants, killRemaining } from '../process/tree.js';

/** How long an interrupted bench may take to close its gateways before its own children are killed. */
const ABORT_GRACE_MS = 15_000;

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('measure cold / warm / pooled / restore starts through the gateway, and a direct baseline (see docs/bench.md)')
    .option('--gateway <url>', 'measure a running gateway at ws://HOST:PORT instead of embedded ones')
    .addOption(new Option('--identity <kind>', 'with --gateway: how that gateway identifies tenants [default: header]').choices(['header', 'path', 'token']))
    .option('--identity-header <name>', 'with --gateway --identity header: the tenant header [default: X-Sandgate-Tenant]')
    .option('--token-secret <secret>', 'with --gateway --identity token: the gateway\'s HMAC secret [env SANDGATE_TOKEN_SECRET]')
    .option('--label <name>', 'backend name shown in the results: for --gateway [default: remote], or for one embedded backend, e.g. to mark a fake control plane [default: the backend name]')
    .option('--backends <list>', 'embedded: backends to compare, one embedded gateway each, comma separated [default: local-process]')
    .option('--warm-pool <n>', 'embedded: warm pool of the separate gateway used for pooled cells (raised to the highest --concurrency) [default: highest concurrency]')
    .option('--scenarios <list>', 'cells to run: cold,warm,pooled,restore,direct [default: all embedded; cold,warm with --gateway]')
    .addOption(new Option('--protocol <p>', 'client protocol: Playwright connect or connectOverCDP [default: playwright]').choices(['playwright', 'cdp']))
    .addOption(new Option('--restore-mode <mode>', 'restore: live-suspend the sandbox (backends that can) or release and re-create it [default: auto = suspend when possible]').choices(['auto', 'suspend', 'recreate']))
    .option('--runs <n>', `measured runs per cell [default: ${DEFAULT_RUNS}, --quick ${QUICK_RUNS}]`)
    .option('--warmup <n>', `discarded warm-up runs per cell [default: ${DEFAULT_WARMUP}]`)
    .option('--quick', `${QUICK_RUNS} measured runs per cell unless --runs is given`)
    .option('--concurrency <levels>', 'clients at once per run, comma separated, e.g. 1,4,16 [default: 1]')
    .option('--target <url>', 'page each sample loads [default: the built-in fixture server]')
    .option('--fixture-host <ip>', 'address the fixture server binds and advertises; must be reachable from the sandboxes [default: 127.0.0.1]')
    .option('--timeout <ms>', `per-sample client deadline (connect + page + goto) [default: ${DEFAULT_TIMEOUT_MS}]`)
    .option('--pool-settle <ms>', `pooled: wait per claimed sandbox after each run for the pool to refill [default: ${DEFAULT_POOL_SETTLE_MS}]`)
    .option('--chromium-path <path>', 'Chromium for embedded sandboxes, direct runtimes and the PNG chart [env SANDGATE_CHROMIUM_PATH, default /usr/lib/chromium/chromium]')
    .option('--chromium-args <flags>', 'extra Chromium flags for sandboxes (space separated)')
    .option('--json <file>', 'also write the result JSON (every raw sample + summary) to this file')
    .option('--out <dir>', 'write result.json, chart.svg and chart.png here [default: bench-results]')
    .option('--no-out', 'write no files under --out')
    .option('--no-png', 'skip chart.png (needs Chromium)')
    .option('--log-level <level>', 'log level of embedded gateways (stderr) [default: silent]')
    .action(async (raw: RawBenchOptions) => {
      const opts = parseBenchOptions(raw);
      const progress = (line: string) => process.stderr.write(line + '\n');
      const controller = new AbortController();
      let hardStop: NodeJS.Timeout | undefined;
      const killChildren = () => killRemaining(descendants(process.pid));
      const onSignal = () => {
        if (controller.signal.aborted) {
          killChildren();
          process.exit(130);
        }
        progress('bench: interrupted; closing gateways and sandboxes (again to force)');
        controller.abort(new Error('bench interrupted'));
        hardStop = setTimeout(() => {
          killChildren();
          process.exit(130);
        }, ABORT_GRACE_MS);
        hardStop.unref();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const result = await runBench(opts, { progress, signal: controller.signal });
        process.stdout.write(report(result));
        const written = await writeOutputs(result, { ...opts, warn: progress });
        for (const file of written) progress(`wrote ${file}`);
        if (result.cells.some((c) => c.result === 'FAIL')) process.exitCode = 1;
      } catch (err) {
        if (!controller.signal.aborted) throw err;
        killChildren();
        process.exit(130);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (hardStop) clearTimeout(hardStop);
      }
    });
}
