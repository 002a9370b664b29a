/**
 * Driving one actor to a state. The API has no watch: transitions are synchronous RPCs, and an actor
 * another caller is moving (RESUMING / SUSPENDING / PAUSING) is re-read with a capped backoff until it
 * settles. settle() → RUNNING; destroy() → gone (DeleteActor accepts suspended actors only).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { status as Status } from '@grpc/grpc-js';
import { SandgateError } from '../../errors/errors.js';
import { grpcCode } from '../../grpc/status.js';
import { isNoFreeWorker, type Actor, type ActorApi } from './api.js';

export interface DriveOptions {
  /** Absolute deadline (epoch ms). */
  deadline: number;
  signal?: AbortSignal | undefined;
}

const TRANSIENT = new Set(['RESUMING', 'SUSPENDING', 'PAUSING', 'UNSPECIFIED']);

/** Waits with a growing interval (50 ms → 500 ms); throws SG_ENSURE_ABORTED / SG_ENSURE_TIMEOUT. */
export async function backoff(attempt: number, name: string, { deadline, signal }: DriveOptions): Promise<void> {
  const left = deadline - Date.now();
  if (left <= 0) throw new SandgateError('SG_ENSURE_TIMEOUT', `actor ${name} did not settle in time`);
  try {
    await sleep(Math.min(50 * 2 ** attempt, 500, left), undefined, signal ? { signal } : {});
  } catch {
    throw new SandgateError('SG_ENSURE_ABORTED', `gave up waiting for actor ${name}`, { cause: signal?.reason });
  }
}

function remaining(deadline: number, name: string): number {
  const left = deadline - Date.now();
  if (left <= 0) throw new SandgateError('SG_ENSURE_TIMEOUT', `actor ${name} did not become RUNNING in time`);
  return left;
}

export interface Settled {
  actor: Actor;
  /** True when the workload was booted from scratch (a crashed actor): the browser is a new one. */
  rebooted: boolean;
}

/**
 * Brings an existing actor to RUNNING: SUSPENDED / PAUSED → ResumeActor(boot=false); transient states
 * are waited out; CRASHED → ResumeActor(boot=true) once (a fresh workload), a second crash is terminal.
 * Returns undefined when the actor disappears meanwhile.
 */
export async function settle(api: ActorApi, start: Actor, options: DriveOptions): Promise<Settled | undefined> {
  const { name } = start;
  let actor: Actor | undefined = start;
  let rebooted = false;
  for (let attempt = 0; ; ) {
    if (options.signal?.aborted) throw new SandgateError('SG_ENSURE_ABORTED', 'sandbox provisioning was aborted', { cause: options.signal.reason });
    if (!actor) return undefined;
    const status: string = actor.status;
    if (status === 'RUNNING') return { actor, rebooted };
    try {
      if (status === 'SUSPENDED' || status === 'PAUSED') {
        actor = await api.transition('ResumeActor', name, { boot: false, signal: options.signal, timeoutMs: remaining(options.deadline, name) });
        continue;
      }
      if (status === 'CRASHED') {
        if (rebooted) throw new SandgateError('SG_BACKEND_TERMINAL', `actor ${name} crashed again right after a fresh boot`, { detail: { reason: 'Crashed', actor: name } });
        rebooted = true;
        actor = await api.transition('ResumeActor', name, { boot: true, signal: options.signal, timeoutMs: remaining(options.deadline, name) });
        continue;
      }
    } catch (err) {
      if (err instanceof SandgateError) throw err;
      if (grpcCode(err) === Status.NOT_FOUND) return undefined;
      // Another caller moved the actor between our read and our call: read it again.
      if (grpcCode(err) === Status.ABORTED || (grpcCode(err) === Status.FAILED_PRECONDITION && !isNoFreeWorker(err))) {
        const fresh = await api.get(name, options.signal);
        if (fresh && fresh.status !== status) {
          actor = fresh;
          continue;
        }
      }
      throw api.error(`${status === 'CRASHED' ? 'rebooting' : 'resuming'} actor ${name}`, err);
    }
    if (!TRANSIENT.has(status)) throw new SandgateError('SG_BACKEND_TERMINAL', `actor ${name} has unknown status ${status}`, { detail: { reason: 'UnknownStatus' } });
    await backoff(attempt++, name, options);
    actor = await api.get(name, options.signal);
  }
}

/** Removes an actor whatever its state: suspend first where needed (a crashed one is booted first), then delete. */
export async function destroy(api: ActorApi, name: string, options: DriveOptions): Promise<void> {
  for (let attempt = 0; ; ) {
    const actor = await api.get(name);
    if (!actor) return;
    try {
      switch (actor.status) {
        case 'SUSPENDED':
          await api.delete(name);
          return;
        case 'RUNNING':
        case 'PAUSED':
          await api.transition('SuspendActor', name, { timeoutMs: remaining(options.deadline, name) });
          continue;
        case 'CRASHED':
          // DeleteActor refuses anything not suspended and a crashed actor has no workload to
          // suspend: try the delete (newer builds may accept it), else boot it so it can be suspended.
          try {
            await api.delete(name);
            return;
          } catch (err) {
            if (grpcCode(err) !== Status.FAILED_PRECONDITION) throw err;
          }
          await api.transition('ResumeActor', name, { boot: true, timeoutMs: remaining(options.deadline, name) });
          continue;
        default:
          await backoff(attempt++, name, { deadline: options.deadline });
      }
    } catch (err) {
      if (err instanceof SandgateError) throw err;
      if (grpcCode(err) === Status.NOT_FOUND) return;
      if (grpcCode(err) === Status.FAILED_PRECONDITION || grpcCode(err) === Status.ABORTED) {
        await backoff(attempt++, name, { deadline: options.deadline }); // moved meanwhile: read again
        continue;
      }
      throw api.error(`deleting actor ${name}`, err);
    }
  }
}
