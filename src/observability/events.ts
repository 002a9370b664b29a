/**
 * Lifecycle events on node:diagnostics_channel. Components publish; metrics and logs subscribe.
 * Publishing to a channel without subscribers costs almost nothing.
 */
import diagnostics from 'node:diagnostics_channel';

export interface EnsureEvent {
  backend: string;
  outcome: 'ok' | 'error';
  code?: string;
  ms: number;
  /** True when an existing session answered (no provisioning). */
  reused: boolean;
}
export interface SessionEvent {
  type: 'created' | 'removed' | 'suspended' | 'resumed';
  tenant: string;
  reason?: 'idle' | 'lifetime' | 'lost' | 'released' | 'shutdown' | 'failed';
}
/** A sandbox the sessions layer gave back to the backend is gone (release resolved or failed). */
export interface SandboxReleasedEvent {
  tenant: string;
  reason: NonNullable<SessionEvent['reason']>;
  ok: boolean;
}
export interface ConnectionEvent {
  type: 'open' | 'close';
  kind: 'ws' | 'http';
  bytesIn?: number;
  bytesOut?: number;
}
export interface ErrorEvent {
  code: string;
  where: 'http' | 'upgrade' | 'relay' | 'backend';
}

export const channels = {
  ensure: diagnostics.channel('sandgate:ensure'),
  session: diagnostics.channel('sandgate:session'),
  released: diagnostics.channel('sandgate:released'),
  connection: diagnostics.channel('sandgate:connection'),
  error: diagnostics.channel('sandgate:error'),
};

export function publishEnsure(e: EnsureEvent): void {
  if (channels.ensure.hasSubscribers) channels.ensure.publish(e);
}
export function publishSession(e: SessionEvent): void {
  if (channels.session.hasSubscribers) channels.session.publish(e);
}
export function publishReleased(e: SandboxReleasedEvent): void {
  if (channels.released.hasSubscribers) channels.released.publish(e);
}
export function publishConnection(e: ConnectionEvent): void {
  if (channels.connection.hasSubscribers) channels.connection.publish(e);
}
export function publishError(e: ErrorEvent): void {
  if (channels.error.hasSubscribers) channels.error.publish(e);
}
