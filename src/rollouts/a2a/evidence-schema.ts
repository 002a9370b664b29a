/** Validation of evidence sent by a remote A2A caller (untrusted input: shapes and sizes are capped). */
import { z } from 'zod';
import type { Evidence } from '../evidence/types.js';

const str = (max = 2000) => z.string().max(max);
const n = z.number().finite().nonnegative();
const bySide = <T extends z.ZodType>(t: T) => z.object({ stable: t, canary: t });
const kind = z.enum(['panic', 'exception', 'error', 'warn', 'info', 'trace']);

export const evidenceSchema = z.object({
  target: z.object({ namespace: str(253), rollout: str(253), stableSelector: str(500), canarySelector: str(500) }),
  collectedAt: str(64),
  window: z.object({ tailLines: n, sinceSeconds: n }),
  pods: z
    .array(z.object({ name: str(253), side: z.enum(['stable', 'canary']), lines: n, panic: n, exception: n, error: n, warn: n, restarts: n, containers: z.array(str(253)).max(50), unreadable: z.array(str(500)).max(50) }))
    .max(500),
  templates: z.array(z.object({ template: str(), kind, count: bySide(n), pods: bySide(n), example: str() })).max(5000),
  metrics: z
    .array(z.object({ name: str(64), worse: z.enum(['higher', 'lower']), critical: z.boolean(), tolerance: n, values: bySide(z.array(z.number().finite()).max(10_000)), error: str(500).optional() }))
    .max(50),
  notes: z.array(str(500)).max(100),
});

export function parseEvidence(value: unknown): Evidence | undefined {
  const parsed = evidenceSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { metrics, ...rest } = parsed.data;
  return { ...rest, metrics: metrics.map(({ error, ...m }) => ({ ...m, ...(error === undefined ? {} : { error }) })) };
}
