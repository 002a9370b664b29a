/**
 * podIP → tenant index fed by pod events. A pod maps each of its IPs to the value of its tenant label.
 * Pods that are terminating or finished give up their IPs (a new pod may already reuse them); when
 * two live pods claim one IP (an update still in flight), the most recently started wins.
 */
export interface PodFacts {
  uid: string;
  ips: string[];
  /** Value of the tenant label; undefined when the label is gone. */
  tenant: string | undefined;
  /** Terminating (deletionTimestamp) or finished (Succeeded/Failed). */
  gone: boolean;
  /** Start or creation time in ms, to prefer the newest pod of a reused IP. */
  since: number;
}

type Waiter = () => void;

export class PodIpIndex {
  private readonly byUid = new Map<string, PodFacts>();
  private readonly byIp = new Map<string, Map<string, PodFacts>>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  upsert(pod: PodFacts): void {
    this.remove(pod.uid);
    if (pod.gone || pod.tenant === undefined || pod.ips.length === 0) return;
    this.byUid.set(pod.uid, pod);
    for (const ip of pod.ips) {
      const entries = this.byIp.get(ip) ?? new Map<string, PodFacts>();
      entries.set(pod.uid, pod);
      this.byIp.set(ip, entries);
      for (const wake of this.waiters.get(ip) ?? []) wake();
    }
  }

  remove(uid: string): void {
    const old = this.byUid.get(uid);
    if (!old) return;
    this.byUid.delete(uid);
    for (const ip of old.ips) {
      const entries = this.byIp.get(ip);
      entries?.delete(uid);
      if (entries?.size === 0) this.byIp.delete(ip);
    }
  }

  lookup(ip: string): string | undefined {
    let best: PodFacts | undefined;
    for (const p of this.byIp.get(ip)?.values() ?? []) if (!best || p.since > best.since) best = p;
    return best?.tenant;
  }

  /** Resolves with the tenant as soon as `ip` is indexed, or undefined after `ms` (event-driven). */
  waitFor(ip: string, ms: number): Promise<string | undefined> {
    const now = this.lookup(ip);
    if (now !== undefined || ms <= 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const set = this.waiters.get(ip) ?? new Set<Waiter>();
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(ip);
        resolve(this.lookup(ip));
      };
      const timer = setTimeout(done, ms);
      set.add(done);
      this.waiters.set(ip, set);
    });
  }

  get size(): number {
    return this.byUid.size;
  }
}
