/**
 * Optional metric evidence: one Prometheus range query per metric and side (HTTP API
 * /api/v1/query_range). Queries are templates: {{namespace}}, {{pods}} (regex of the side's pod
 * names), {{side}}, {{hash}}.
 */
import { RolloutError, retryableStatus } from '../errors.js';
import type { MetricSpec } from '../config/schema.js';
import type { MetricSeries, PodEvidence, Side, Target } from './types.js';

export const DEFAULT_METRICS: readonly MetricSpec[] = [
  {
    name: 'errorRate',
    query:
      'sum(rate(http_requests_total{namespace="{{namespace}}",pod=~"{{pods}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}",pod=~"{{pods}}"}[1m]))',
    worse: 'higher',
    critical: true,
    tolerance: 0.1,
  },
  {
    name: 'latencyP95',
    query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{namespace}}",pod=~"{{pods}}"}[1m])))',
    worse: 'higher',
    critical: false,
    tolerance: 0.2,
  },
];

export interface MetricWindow {
  startMs: number;
  endMs: number;
  stepSeconds: number;
}

export interface SideScope {
  namespace: string;
  side: Side;
  pods: string[];
  hash: string;
}

/** Where metric samples come from: Prometheus in production, in-memory series in the corpus. */
export interface MetricsSource {
  range(spec: MetricSpec, scope: SideScope, window: MetricWindow): Promise<number[]>;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function renderQuery(query: string, scope: SideScope): string {
  const pods = scope.pods.length > 0 ? scope.pods.map(escapeRegex).join('|') : '$^';
  return query.replaceAll('{{namespace}}', scope.namespace).replaceAll('{{pods}}', pods).replaceAll('{{side}}', scope.side).replaceAll('{{hash}}', scope.hash);
}

interface RangeResponse {
  status?: string;
  error?: string;
  data?: { result?: Array<{ values?: Array<[number, string]> }> };
}

export class PrometheusSource implements MetricsSource {
  constructor(private readonly baseUrl: string, private readonly timeoutMs = 15_000) {}

  async range(spec: MetricSpec, scope: SideScope, window: MetricWindow): Promise<number[]> {
    const url = new URL('api/v1/query_range', this.baseUrl.endsWith('/') ? this.baseUrl : this.baseUrl + '/');
    url.searchParams.set('query', renderQuery(spec.query, scope));
    url.searchParams.set('start', String(window.startMs / 1000));
    url.searchParams.set('end', String(window.endMs / 1000));
    url.searchParams.set('step', String(window.stepSeconds));
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new RolloutError('SG_ROLLOUT_METRICS_FAILED', `${spec.name}: ${(err as Error).message}`, { cause: err, retryable: true });
    }
    const body = (await res.json().catch(() => ({}))) as RangeResponse;
    if (!res.ok || body.status !== 'success') {
      throw new RolloutError('SG_ROLLOUT_METRICS_FAILED', `${spec.name}: HTTP ${res.status} ${body.error ?? ''}`.trim(), { retryable: retryableStatus(res.status) });
    }
    return (body.data?.result ?? []).flatMap((s) => (s.values ?? []).map(([, v]) => Number(v))).filter((v) => Number.isFinite(v));
  }
}

/** Queries every metric for both sides; a failed query becomes a series with `error` (no data). */
export async function collectMetrics(source: MetricsSource, specs: readonly MetricSpec[], target: Target, pods: readonly PodEvidence[], window: MetricWindow, hashes: Record<Side, string>): Promise<MetricSeries[]> {
  return Promise.all(
    specs.map(async (spec) => {
      const series: MetricSeries = { name: spec.name, worse: spec.worse, critical: spec.critical, tolerance: spec.tolerance, values: { stable: [], canary: [] } };
      try {
        for (const side of ['stable', 'canary'] as const) {
          const scope = { namespace: target.namespace, side, hash: hashes[side], pods: pods.filter((p) => p.side === side).map((p) => p.name) };
          series.values[side] = await source.range(spec, scope, window);
        }
      } catch (err) {
        series.error = err instanceof RolloutError ? `${err.code}: ${err.message}` : String(err);
      }
      return series;
    }),
  );
}
