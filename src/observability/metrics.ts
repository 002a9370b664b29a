/** Prometheus metrics fed by lifecycle events. Labels stay low-cardinality: never a tenant id. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { channels, type ConnectionEvent, type EnsureEvent, type ErrorEvent, type SessionEvent } from './events.js';

export interface Metrics {
  registry: Registry;
  close(): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'sandgate_process_' });

  const ensureSeconds = new Histogram({
    name: 'sandgate_ensure_seconds',
    help: 'Time to get a ready sandbox endpoint, by backend and outcome.',
    labelNames: ['backend', 'outcome', 'reused'],
    buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  const activeSessions = new Gauge({ name: 'sandgate_sessions_active', help: 'Tenants with a sandbox.', registers: [registry] });
  const suspended = new Gauge({ name: 'sandgate_sessions_suspended', help: 'Tenants whose sandbox is suspended.', registers: [registry] });
  const sessionsRemoved = new Counter({
    name: 'sandgate_sessions_removed_total',
    help: 'Sessions removed, by reason (idle and lifetime are reaps).',
    labelNames: ['reason'],
    registers: [registry],
  });
  const connections = new Gauge({
    name: 'sandgate_connections_open',
    help: 'Open relayed connections by kind.',
    labelNames: ['kind'],
    registers: [registry],
  });
  const bytes = new Counter({
    name: 'sandgate_relayed_bytes_total',
    help: 'Bytes relayed, by direction (in = from clients, out = to clients).',
    labelNames: ['direction'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'sandgate_errors_total',
    help: 'Errors answered to callers, by stable code.',
    labelNames: ['code', 'where'],
    registers: [registry],
  });

  const onEnsure = (m: unknown) => {
    const e = m as EnsureEvent;
    ensureSeconds.observe({ backend: e.backend, outcome: e.outcome, reused: String(e.reused) }, e.ms / 1000);
  };
  const onSession = (m: unknown) => {
    const e = m as SessionEvent;
    if (e.type === 'created') activeSessions.inc();
    else if (e.type === 'suspended') suspended.inc();
    else if (e.type === 'resumed') suspended.dec();
    else {
      activeSessions.dec();
      sessionsRemoved.inc({ reason: e.reason ?? 'released' });
    }
  };
  const onConnection = (m: unknown) => {
    const e = m as ConnectionEvent;
    if (e.type === 'open') connections.inc({ kind: e.kind });
    else {
      connections.dec({ kind: e.kind });
      if (e.bytesIn) bytes.inc({ direction: 'in' }, e.bytesIn);
      if (e.bytesOut) bytes.inc({ direction: 'out' }, e.bytesOut);
    }
  };
  const onError = (m: unknown) => {
    const e = m as ErrorEvent;
    errors.inc({ code: e.code, where: e.where });
  };
  channels.ensure.subscribe(onEnsure);
  channels.session.subscribe(onSession);
  channels.connection.subscribe(onConnection);
  channels.error.subscribe(onError);
  return {
    registry,
    close() {
      channels.ensure.unsubscribe(onEnsure);
      channels.session.unsubscribe(onSession);
      channels.connection.unsubscribe(onConnection);
      channels.error.unsubscribe(onError);
    },
  };
}
