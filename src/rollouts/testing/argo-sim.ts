/**
 * A simulated Argo Rollouts AnalysisRun for one `web` metric, following argo-rollouts'
 * metricproviders/webmetric and analysis.assessMetricStatus: args rendered into url / headers /
 * jsonBody; non-2xx, timeouts, a jsonPath that finds nothing → measurement Error; conditions →
 * Successful / Failed / Inconclusive (both set, neither true); limits decide the run's phase.
 * Conditions support the subset our examples use: `result <op> literal` joined by && / ||.
 */
export interface WebMetric {
  name: string;
  interval?: string;
  count?: number;
  failureLimit?: number;
  inconclusiveLimit?: number;
  consecutiveErrorLimit?: number;
  successCondition?: string;
  failureCondition?: string;
  provider: { web: { method?: string; url: string; timeoutSeconds?: number; headers?: Array<{ key: string; value: string }>; jsonBody?: unknown; jsonPath?: string } };
}

export type Phase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
export interface Measurement {
  phase: Phase;
  value?: unknown;
  message?: string;
  status?: number;
}

const render = (v: unknown, args: Record<string, string>): unknown =>
  typeof v === 'string' ? v.replace(/\{\{args\.([\w-]+)\}\}/g, (_, k: string) => args[k] ?? '') : Array.isArray(v) ? v.map((x) => render(x, args)) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x, args)])) : v;

function atom(expr: string, result: unknown): boolean {
  const m = /^\s*result\s*(==|!=|>=|<=|>|<)\s*("([^"]*)"|-?\d+(?:\.\d+)?)\s*$/.exec(expr);
  if (!m) throw new Error(`condition outside the simulated subset: ${expr}`);
  const lit: unknown = m[3] !== undefined ? m[3] : Number(m[2]);
  switch (m[1]) {
    case '==': return result === lit;
    case '!=': return result !== lit;
    case '>=': return Number(result) >= Number(lit);
    case '<=': return Number(result) <= Number(lit);
    case '>': return Number(result) > Number(lit);
    default: return Number(result) < Number(lit);
  }
}

export const evalCondition = (expr: string, result: unknown) => expr.split('||').some((any) => any.split('&&').every((all) => atom(all, result)));

function jsonPath(path: string, data: unknown): unknown {
  const m = /^\{\$((?:\.[\w-]+)*)\}$/.exec(path);
  if (!m) throw new Error(`jsonPath outside the simulated subset: ${path}`);
  return (m[1] ?? '').split('.').filter(Boolean).reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), data);
}

export async function measure(metric: WebMetric, args: Record<string, string>): Promise<Measurement> {
  const web = render(metric.provider.web, args) as WebMetric['provider']['web'];
  const headers: Record<string, string> = Object.fromEntries((web.headers ?? []).map((h) => [h.key, h.value]));
  if (web.jsonBody !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(web.url, { method: web.method ?? 'GET', headers, ...(web.jsonBody !== undefined ? { body: JSON.stringify(web.jsonBody) } : {}), signal: AbortSignal.timeout((web.timeoutSeconds || 10) * 1000) });
  } catch (err) {
    return { phase: 'Error', message: (err as Error).message };
  }
  const text = await res.text();
  if (res.status < 200 || res.status >= 300) return { phase: 'Error', status: res.status, message: `received non 2xx response code: ${res.status}` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { phase: 'Error', status: res.status, message: 'non-JSON body (Argo ≤ 1.9 would even call it Successful)' };
  }
  const value = jsonPath(web.jsonPath ?? '{$}', data);
  if (value === undefined) return { phase: 'Error', status: res.status, message: `Could not find JSONPath in body: ${web.jsonPath ?? ''}` };
  const success = metric.successCondition ? evalCondition(metric.successCondition, value) : undefined;
  const failure = metric.failureCondition ? evalCondition(metric.failureCondition, value) : undefined;
  const failed = failure ?? (success === undefined ? false : !success);
  const succeeded = success ?? !failed;
  return { phase: failed ? 'Failed' : succeeded ? 'Successful' : 'Inconclusive', value, status: res.status };
}

export interface RunOutcome {
  phase: Phase;
  measurements: Measurement[];
}

/** Measures until the metric completes; `interval` is awaited between measurements (tests await an event). */
export async function runAnalysis(metric: WebMetric, args: Record<string, string>, interval: () => Promise<void>, maxMeasurements = 50): Promise<RunOutcome> {
  const measurements: Measurement[] = [];
  const c = { Successful: 0, Failed: 0, Inconclusive: 0, consecutiveError: 0, count: 0 };
  for (let i = 0; i < maxMeasurements; i++) {
    const m = await measure(metric, args);
    measurements.push(m);
    if (m.phase === 'Error') c.consecutiveError++;
    else {
      c[m.phase]++;
      c.count++;
      c.consecutiveError = 0;
    }
    if (c.Failed > (metric.failureLimit ?? 0)) return { phase: 'Failed', measurements };
    if (c.Inconclusive > (metric.inconclusiveLimit ?? 0)) return { phase: 'Inconclusive', measurements };
    if (c.consecutiveError > (metric.consecutiveErrorLimit ?? 4)) return { phase: 'Error', measurements };
    if (metric.count !== undefined && c.count >= metric.count) return { phase: 'Successful', measurements };
    await interval();
  }
  throw new Error(`metric ${metric.name} still running after ${maxMeasurements} measurements`);
}
