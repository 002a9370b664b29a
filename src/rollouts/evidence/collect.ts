/**
 * Reads the logs of ALL stable and canary pods, every container (and the previous instance of a
 * restarted one), with a tail limit, a since-window and a byte cap, and folds them.
 */
import { RolloutError, toRolloutError } from '../errors.js';
import type { RolloutsKube } from '../kube/types.js';
import { LogFolder, emptyPod } from './fold.js';
import { SIDES, type LogTemplate, type PodEvidence, type Side, type Target } from './types.js';

export interface CollectOptions {
  tailLines: number;
  sinceSeconds: number;
  limitBytes: number;
  previousLogs: boolean;
  /** Log reads in flight at once. */
  concurrency?: number;
}

export interface CollectedLogs {
  pods: PodEvidence[];
  templates: LogTemplate[];
  /** Request durations (ms) printed in the logs, per side. */
  durations: Record<Side, number[]>;
  notes: string[];
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(runners);
}

export async function collectLogs(kube: RolloutsKube, target: Target, options: CollectOptions): Promise<CollectedLogs> {
  const folder = new LogFolder();
  const pods: PodEvidence[] = [];
  const notes: string[] = [];
  const reads: Array<{ pod: PodEvidence; container: string; previous: boolean }> = [];
  const seen = new Set<string>();
  for (const side of SIDES) {
    const selector = side === 'stable' ? target.stableSelector : target.canarySelector;
    const listed = await kube.listPods(target.namespace, selector);
    if (listed.length === 0) notes.push(`no ${side} pods match ${selector}`);
    for (const info of listed) {
      if (seen.has(info.name)) {
        notes.push(`pod ${info.name} matches both selectors; counted as stable only`);
        continue;
      }
      seen.add(info.name);
      const pod = emptyPod(info.name, side);
      pods.push(pod);
      for (const c of info.containers) {
        pod.containers.push(c.name);
        pod.restarts += c.restartCount;
        reads.push({ pod, container: c.name, previous: false });
        if (options.previousLogs && c.restartCount > 0) reads.push({ pod, container: c.name, previous: true });
      }
    }
  }
  if (!pods.some((p) => p.side === 'canary')) {
    throw new RolloutError('SG_ROLLOUT_NO_PODS', `no canary pods match ${target.canarySelector} in ${target.namespace}`);
  }
  const logOptions = {
    ...(options.tailLines > 0 ? { tailLines: options.tailLines } : {}),
    ...(options.sinceSeconds > 0 ? { sinceSeconds: options.sinceSeconds } : {}),
    ...(options.limitBytes > 0 ? { limitBytes: options.limitBytes } : {}),
  };
  const texts = new Map<(typeof reads)[number], string>();
  await pool(reads, options.concurrency ?? 8, async (read) => {
    try {
      texts.set(read, await kube.readLog(target.namespace, read.pod.name, read.container, { ...logOptions, previous: read.previous }));
    } catch (err) {
      const code = toRolloutError(err, 'SG_ROLLOUT_KUBE_FAILED').code;
      read.pod.unreadable.push(`${read.container}${read.previous ? ' (previous)' : ''}: ${code}`);
    }
  });
  // Fold in a fixed order so templates and examples do not depend on which read finished first.
  for (const read of reads) {
    const text = texts.get(read);
    if (text !== undefined) folder.addLog(read.pod, text);
  }
  const unreadable = pods.flatMap((p) => p.unreadable.map((u) => `${p.name}/${u}`));
  if (unreadable.length > 0) notes.push(`unreadable logs: ${unreadable.join(', ')}`);
  return { pods, templates: folder.templates(), durations: folder.durations, notes };
}
