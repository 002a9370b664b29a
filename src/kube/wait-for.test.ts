import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { SandgateError } from '../errors/errors.js';
import type { ListWatch, WatchEventType } from './list-watch.js';
import { waitFor } from './wait-for.js';

interface Obj extends KubernetesObject {
  ready?: boolean;
}
type Handlers = Parameters<ListWatch<Obj>['watch']>[1];

/** An in-memory list/watch source driven by the test (the helper's own unit test; no API server). */
function source(initial: Obj[]) {
  const calls = { list: 0, watch: [] as string[] };
  let handlers: Handlers | undefined;
  let items = initial;
  const lw: ListWatch<Obj> = {
    what: 'test objects',
    async list() {
      calls.list++;
      return { items, resourceVersion: String(10 + calls.list) };
    },
    async watch(rv, h) {
      calls.watch.push(rv);
      handlers = h;
      return { stop: () => (handlers = undefined) };
    },
  };
  const emit = (type: WatchEventType, o: Obj) => handlers?.onEvent(type, o);
  return { lw, calls, emit, handlers: () => handlers, setItems: (next: Obj[]) => (items = next) };
}
const obj = (name: string, rv: string, ready = false): Obj => ({ metadata: { name, namespace: 'ns', resourceVersion: rv }, ready });
const soon = () => new Promise((r) => setImmediate(r));
const readyOne = (objs: readonly Obj[]) => (objs.find((o) => o.ready) ? 'ready' : undefined);

test('resolves at once when the listed state already satisfies the predicate (no watch)', async () => {
  const s = source([obj('a', '5', true)]);
  assert.equal(await waitFor(s.lw, readyOne, { deadline: Date.now() + 1000 }), 'ready');
  assert.deepEqual(s.calls.watch, []);
});

test('watches from the listed resourceVersion and resolves on the matching event', async () => {
  const s = source([obj('a', '5')]);
  const p = waitFor(s.lw, readyOne, { deadline: Date.now() + 1000 });
  await soon();
  assert.deepEqual(s.calls.watch, ['11']);
  s.emit('MODIFIED', obj('a', '12'));
  s.emit('MODIFIED', obj('a', '13', true));
  assert.equal(await p, 'ready');
  assert.equal(s.handlers(), undefined, 'watch stopped');
});

test('DELETED removes the object; a predicate on absence resolves', async () => {
  const s = source([obj('a', '5')]);
  const p = waitFor(s.lw, (objs) => (objs.length === 0 ? 'gone' : undefined), { deadline: Date.now() + 1000 });
  await soon();
  s.emit('DELETED', obj('a', '14'));
  assert.equal(await p, 'gone');
});

test('a server-closed watch resumes from the last resourceVersion; 410 re-lists', async () => {
  const s = source([obj('a', '5')]);
  const p = waitFor(s.lw, readyOne, { deadline: Date.now() + 1000 });
  await soon();
  s.emit('MODIFIED', obj('a', '20'));
  s.handlers()?.onDone(null);
  await soon();
  assert.deepEqual(s.calls.watch, ['11', '20']);
  s.handlers()?.onError({ code: 410, message: 'too old' });
  s.setItems([obj('a', '30', true)]);
  s.handlers()?.onDone(null);
  assert.equal(await p, 'ready');
  assert.equal(s.calls.list, 2);
});

test('a throwing predicate rejects with its error (terminal states)', async () => {
  const s = source([obj('a', '5')]);
  const terminal = new SandgateError('SG_BACKEND_TERMINAL', 'bad');
  const p = waitFor(s.lw, (objs) => {
    if (objs[0]?.metadata?.resourceVersion === '6') throw terminal;
    return undefined;
  }, { deadline: Date.now() + 1000 });
  await soon();
  s.emit('MODIFIED', obj('a', '6'));
  await assert.rejects(p, (e) => e === terminal);
});

test('deadline → SG_ENSURE_TIMEOUT, abort → SG_ENSURE_ABORTED, watch failure → SG_BACKEND_UNAVAILABLE', async () => {
  await assert.rejects(waitFor(source([]).lw, readyOne, { deadline: Date.now() + 20 }), (e: unknown) => e instanceof SandgateError && e.code === 'SG_ENSURE_TIMEOUT');
  const ac = new AbortController();
  const aborted = waitFor(source([]).lw, readyOne, { deadline: Date.now() + 5000, signal: ac.signal });
  ac.abort(new Error('caller left'));
  await assert.rejects(aborted, (e: unknown) => e instanceof SandgateError && e.code === 'SG_ENSURE_ABORTED');
  const s = source([]);
  const failing = waitFor(s.lw, readyOne, { deadline: Date.now() + 5000 });
  await soon();
  s.handlers()?.onDone(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
  await assert.rejects(failing, (e: unknown) => e instanceof SandgateError && e.code === 'SG_BACKEND_UNAVAILABLE' && /Forbidden/.test(e.message));
});
