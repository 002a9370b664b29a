/** `rollouts serve`: the HTTP service with a symmetric start() / close(). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Analyzer } from '../analysis/analyzer.js';
import type { RolloutsConfig } from '../config/schema.js';
import { createApp } from './app.js';
import { AnalysisJobs } from './jobs.js';

export function splitHostPort(listen: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
  return { host: m?.[1] ?? '127.0.0.1', port: Number(m?.[2] ?? 8080) };
}

export class RolloutsServer {
  readonly jobs: AnalysisJobs;
  private server: Server | undefined;
  private closing = false;
  url = '';

  constructor(private readonly cfg: RolloutsConfig, private readonly analyzer: Analyzer, private readonly logger: Logger, private readonly version = '0.0.0') {
    this.jobs = new AnalysisJobs({
      maxConcurrent: Math.max(1, cfg.maxConcurrent),
      resultTtlMs: cfg.resultTtl,
      failedTtlMs: Math.min(cfg.resultTtl, 60_000),
      run: (req, signal) => analyzer.analyze(req, signal),
    });
    this.jobs.on('settled', (key, r) => logger.info({ key, verdict: r.decision.verdict, score: r.decision.score, ms: r.durationMs, heal: r.heal?.action }, 'analysis finished'));
  }

  async start(): Promise<string> {
    const { host, port } = splitHostPort(this.cfg.listen);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const addr = server.address() as AddressInfo;
    this.url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    const app = createApp({ cfg: this.cfg, analyzer: this.analyzer, jobs: this.jobs, publicUrl: this.cfg.publicUrl || this.url, version: this.version, logger: this.logger, isClosing: () => this.closing });
    server.on('request', app);
    this.server = server;
    this.jobs.start();
    this.logger.info({ url: this.url }, 'rollouts analyzer listening');
    return this.url;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.jobs.close();
    const server = this.server;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}
