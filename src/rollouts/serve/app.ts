/**
 * One HTTP service for every integration: Argo Rollouts web provider (/argo/v1/measure), Flagger
 * webhook (/flagger/v1/gate), A2A agent (/.well-known/agent-card.json, JSON-RPC at /a2a), a list of
 * analyses (/v1/analyses) and health (/healthz, /readyz).
 */
import { AGENT_CARD_PATH } from '@a2a-js/sdk';
import { DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { UserBuilder, agentCardHandler, jsonRpcHandler } from '@a2a-js/sdk/server/express';
import express from 'express';
import type { Logger } from 'pino';
import { CanaryJudgeExecutor, agentCard } from '../a2a/agent.js';
import type { Analyzer } from '../analysis/analyzer.js';
import type { AnalysisRequest } from '../analysis/request.js';
import type { RolloutsConfig } from '../config/schema.js';
import { argoMeasure } from './argo.js';
import { flaggerGate } from './flagger.js';
import { bearer, errorHandler, route } from './http.js';
import type { AnalysisJobs } from './jobs.js';
import { PHASE } from './views.js';

export interface AppDeps {
  cfg: RolloutsConfig;
  analyzer: Analyzer;
  jobs: AnalysisJobs;
  publicUrl: string;
  version: string;
  logger: Logger;
  isClosing: () => boolean;
}

export function createApp(d: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', (_req, res) => void res.status(d.isClosing() ? 503 : 200).json({ ready: !d.isClosing() }));

  const a2a = new DefaultRequestHandler(agentCard(`${d.publicUrl}/a2a`, d.version), new InMemoryTaskStore(), new CanaryJudgeExecutor(d.analyzer));
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: a2a }));
  const auth = bearer(d.cfg.authToken);
  // Parsed here with a larger limit than the SDK's default (evidence travels as a data part).
  app.use('/a2a', auth, express.json({ limit: '2mb' }), jsonRpcHandler({ requestHandler: a2a, userBuilder: UserBuilder.noAuthentication }));

  const json = express.json({ limit: '256kb' });
  const validate = (req: AnalysisRequest) => void d.analyzer.targetFor(req);
  app.post('/argo/v1/measure', auth, json, route((req) => argoMeasure(req.body, d.jobs, d.cfg.fastWait, validate)));
  // Flagger cannot send headers: its token may come as metadata.token in the Canary's webhook.
  const flaggerAuth = bearer(d.cfg.authToken, (req) => (req.body as { metadata?: { token?: unknown } } | undefined)?.metadata?.token);
  app.post('/flagger/v1/gate', json, flaggerAuth, route((req) => flaggerGate(req.body, typeof req.query.mode === 'string' ? req.query.mode : undefined, d.jobs, d.cfg.fastWait, validate)));
  app.get('/v1/analyses', auth, (_req, res) => {
    const rows = d.jobs.list().map((j) => ({ key: j.key, startedAt: new Date(j.startedAt).toISOString(), phase: j.result ? PHASE[j.result.decision.verdict] : 'Running', ...(j.result ? { score: j.result.decision.score, summary: j.result.decision.summary } : {}) }));
    res.json({ analyses: rows });
  });
  app.use(errorHandler(d.logger));
  return app;
}
