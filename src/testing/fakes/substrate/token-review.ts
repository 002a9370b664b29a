/**
 * Bearer verification for the fake control plane's jwt mode, the way substrate's API server does it:
 * the token must be a ServiceAccount token the real kube-apiserver accepts for the audience (here
 * through a TokenReview), issued to the expected ServiceAccount.
 */
import { AuthenticationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

export const AUDIENCE = 'api.ate-system.svc';

export function tokenReviewer(kc: KubeConfig, expectedUser: string): (token: string) => Promise<string | undefined> {
  const auth = kc.makeApiClient(AuthenticationV1Api);
  return async (token) => {
    const review = await auth.createTokenReview({ body: { spec: { token, audiences: [AUDIENCE] } } });
    const status = review.status;
    if (!status?.authenticated) return `token rejected: ${status?.error ?? 'not authenticated'}`;
    if (!status.audiences?.includes(AUDIENCE)) return `token is not for audience ${AUDIENCE}`;
    if (status.user?.username !== expectedUser) return `token belongs to ${status.user?.username ?? '?'}, not ${expectedUser}`;
    return undefined;
  };
}

/** A fresh projected-style token (audience api.ate-system.svc) for a ServiceAccount. */
export async function requestToken(kc: KubeConfig, namespace: string, serviceAccount: string, seconds = 600): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const res = await core.createNamespacedServiceAccountToken({ name: serviceAccount, namespace, body: { spec: { audiences: [AUDIENCE], expirationSeconds: seconds } } });
  return res.status?.token ?? '';
}
