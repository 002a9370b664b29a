/** Express plumbing shared by the routes: bearer auth (constant time), async handlers, typed errors. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { RolloutError, isRolloutError, toRolloutError } from '../errors.js';
import type { Reply } from './argo.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <token>` (or, for callers that cannot set headers, `alternative(req)`). */
export function bearer(token: string, alternative?: (req: Request) => unknown): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    if (!token) return next();
    const alt = alternative?.(req);
    const got = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof alt === 'string' ? alt : '');
    if (timingSafeEqual(digest(got), expected)) return next();
    next(new RolloutError('SG_ROLLOUT_UNAUTHORIZED'));
  };
}

export function route(handler: (req: Request) => Promise<Reply>): RequestHandler {
  return (req, res, next) => {
    handler(req).then((reply) => {
      res.status(reply.status).set(reply.headers ?? {}).json(reply.json);
    }, next);
  };
}

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const parseError = (err as { type?: string }).type === 'entity.parse.failed' || (err as { type?: string }).type === 'entity.too.large';
    const e = parseError ? new RolloutError('SG_ROLLOUT_BAD_REQUEST', (err as Error).message) : toRolloutError(err);
    if (!isRolloutError(err) && !parseError) logger.error({ err, path: req.path }, 'request failed');
    if (e.retryAfter !== undefined) res.set('retry-after', String(e.retryAfter));
    res.status(e.status).set('x-sandgate-error', e.code).json(e.toJSON());
  };
}
