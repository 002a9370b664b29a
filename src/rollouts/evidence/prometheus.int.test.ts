/** PrometheusSource against a loopback fake of the Prometheus HTTP API (/api/v1/query_range). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RolloutError } from '../errors.js';
import { FakeServer } from '../testing/fake-server.js';
import { DEFAULT_METRICS, PrometheusSource, collectMetrics, renderQuery } from './prometheus.js';
import { emptyPod } from './fold.js';

let prom: FakeServer;
before(async () => {
  prom = await FakeServer.start((req) => {
    const q = req.query.get('query') ?? '';
    if (q.includes('broken')) return { status: 400, json: { status: 'error', errorType: 'bad_data', error: 'parse error at char 1' } };
    const canary = q.includes('web-c');
    const series = (base: number) => ({ metric: {}, values: [[1736935200, String(base)], [1736935230, String(base * 1.1)], [1736935260, 'NaN']] });
    return { json: { status: 'success', data: { resultType: 'matrix', result: [series(canary ? 0.2 : 0.05), series(canary ? 0.3 : 0.06)] } } };
  });
});
after(() => prom.close());

const target = { namespace: 'shop', rollout: 'web', stableSelector: 'h=s', canarySelector: 'h=c' };
const pods = [emptyPod('web-s-1', 'stable'), emptyPod('web-s-2', 'stable'), emptyPod('web-c-1', 'canary')];
const window = { startMs: 1736934300_000, endMs: 1736935200_000, stepSeconds: 30 };

test('queries are rendered per side and sent as query_range with start, end and step', async () => {
  assert.equal(renderQuery('x{namespace="{{namespace}}",pod=~"{{pods}}"} # {{side}} {{hash}}', { namespace: 'shop', side: 'canary', hash: 'abc', pods: ['a.b', 'c'] }), 'x{namespace="shop",pod=~"a\\.b|c"} # canary abc');
  const [errors] = await collectMetrics(new PrometheusSource(prom.url), [DEFAULT_METRICS[0] as (typeof DEFAULT_METRICS)[number]], target, pods, window, { stable: 's', canary: 'c' });
  assert.deepEqual(errors?.values.stable.map((v) => Math.round(v * 1000)), [50, 55, 60, 66]);
  assert.equal(errors?.values.canary.length, 4, 'NaN samples dropped');
  const sent = prom.requests.at(-1);
  assert.equal(sent?.path, '/api/v1/query_range');
  assert.deepEqual([sent?.query.get('start'), sent?.query.get('end'), sent?.query.get('step')], ['1736934300', '1736935200', '30']);
  assert.match(sent?.query.get('query') ?? '', /pod=~"web-c-1"/);
});

test('a failing query is SG_ROLLOUT_METRICS_FAILED and becomes a no-data series, not a failed analysis', async () => {
  const spec = { name: 'bad', query: 'broken(', worse: 'higher' as const, critical: true, tolerance: 0.1 };
  await assert.rejects(new PrometheusSource(prom.url).range(spec, { namespace: 'shop', side: 'stable', hash: '', pods: [] }, window), (e: unknown) => e instanceof RolloutError && e.code === 'SG_ROLLOUT_METRICS_FAILED' && /parse error/.test(e.message));
  const [series] = await collectMetrics(new PrometheusSource(prom.url), [spec], target, pods, window, { stable: '', canary: '' });
  assert.match(series?.error ?? '', /^SG_ROLLOUT_METRICS_FAILED/);
});
