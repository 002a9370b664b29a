/**
 * In-memory RolloutsKube, used by `rollouts eval` (the synthetic corpus) and the tests: pods with
 * labels and per-container logs, equality-based label selectors (k=v, k!=v, comma = and),
 * tailLines / limitBytes honoured.
 */
import { RolloutError } from '../errors.js';
import type { LogOptions, PodInfo, RolloutsKube } from './types.js';

export interface MemoryPod {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  /** container name → current log text; `previous` holds the crashed instance's log. */
  logs: Record<string, string>;
  previous?: Record<string, string>;
  restarts?: Record<string, number>;
}

export function matchesSelector(labels: Readonly<Record<string, string>>, selector: string): boolean {
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((term) => {
      const m = /^([^!=\s]+)\s*(!=|==|=)\s*(.*)$/.exec(term);
      if (!m) return labels[term] !== undefined; // bare key = exists
      const [, key = '', op, value = ''] = m;
      return op === '!=' ? labels[key] !== value : labels[key] === value;
    });
}

export class MemoryKube implements RolloutsKube {
  readonly calls: Array<{ op: 'list' | 'log'; args: unknown[] }> = [];
  /** Containers whose reads fail, as "pod/container". */
  readonly failing = new Set<string>();

  constructor(private readonly pods: MemoryPod[]) {}

  async listPods(namespace: string, labelSelector: string): Promise<PodInfo[]> {
    this.calls.push({ op: 'list', args: [namespace, labelSelector] });
    return this.pods
      .filter((p) => (p.namespace ?? 'default') === namespace && matchesSelector(p.labels, labelSelector))
      .map((p) => ({
        name: p.name,
        namespace,
        labels: p.labels,
        phase: 'Running',
        containers: Object.keys(p.logs).map((c) => ({ name: c, init: false, restartCount: p.restarts?.[c] ?? 0 })),
      }));
  }

  async readLog(namespace: string, pod: string, container: string, options: LogOptions): Promise<string> {
    this.calls.push({ op: 'log', args: [namespace, pod, container, options] });
    if (this.failing.has(`${pod}/${container}`)) throw new RolloutError('SG_ROLLOUT_KUBE_FAILED', `read ${pod}/${container}: 500`, { retryable: true });
    const p = this.pods.find((x) => x.name === pod && (x.namespace ?? 'default') === namespace);
    let text = (options.previous ? p?.previous?.[container] : p?.logs[container]) ?? '';
    if (options.tailLines !== undefined) {
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      text = lines.slice(-options.tailLines).join('\n') + (lines.length > 0 ? '\n' : '');
    }
    if (options.limitBytes !== undefined) text = Buffer.from(text).subarray(0, options.limitBytes).toString('utf8');
    return text;
  }
}
