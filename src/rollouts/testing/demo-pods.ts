/**
 * Argo-Rollouts-like pods of the seed demo (argoproj/rollouts-demo) for the Kubernetes test layer: pods
 * labelled `rollouts-pod-template-hash`, whose simulated containers log like the demo app — a healthy
 * build serving its colour, or one that panics and crash-loops.
 */
import type { LogPods } from '../../testing/k8s/log-pods.js';
import type { LogScript } from '../../testing/k8s/log-script.js';

export const REQUESTS = 40;
/** A fake GitHub token, to check it never leaves redacted. */
export const LEAKED_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const PANIC = 'panic: runtime error: index out of range [6] with length 6\n\ngoroutine 34 [running]:\nmain.randomColor(...)\n\t/go/src/app/main.go:202';

export const serving = (color: string): LogScript => [{ print: 'Started server on :8080' }, { print: `GET /color 200 - ${color} in {i}ms`, times: REQUESTS, everyMs: 1 }];
/** The last request line of `serving` (the pod has logged everything once it is there). */
export const LAST_REQUEST = new RegExp(`in ${REQUESTS - 1}ms\\n`);

export const crashing: LogScript = [
  { print: 'Started server on :8080' },
  { print: 'GET /color 200 - blue in {i}ms', times: 10, everyMs: 1 },
  { print: `login ok for alice@example.com with token ${LEAKED_TOKEN}` },
  { print: PANIC, stream: 'stderr' },
  { exit: 2 },
];

export const hashLabels = (hash: string) => ({ app: 'rollouts-demo', 'rollouts-pod-template-hash': hash });
export const podName = (hash: string, n: string) => `rollouts-demo-${hash}-${n}`;

/** Two pods per hash; each hash is healthy or panicking. Resolves once all of them have logged (crashers restarted). */
export async function demoPods(fx: LogPods, hashes: { healthy: string[]; panicking: string[] }): Promise<void> {
  for (const h of hashes.healthy) for (const n of ['a', 'b']) await fx.create(podName(h, n), hashLabels(h), [{ name: 'app', script: serving('blue') }]);
  for (const h of hashes.panicking) for (const n of ['a', 'b']) await fx.create(podName(h, n), hashLabels(h), [{ name: 'app', script: crashing }]);
  const healthy = hashes.healthy.flatMap((h) => [podName(h, 'a'), podName(h, 'b')]);
  await fx.waitPods(hashes.panicking.flatMap((h) => [podName(h, 'a'), podName(h, 'b')]), (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  for (const name of healthy) await fx.follow(name, 'app', LAST_REQUEST);
}
