/**
 * Loopback pod IPs for the test node agent: 127.<block>.x.y. The whole 127.0.0.0/8 is routed to `lo`
 * on Linux, so every pod gets its own address to bind without any network setup. Addresses are never
 * reused while the agent lives, so a re-created pod always gets a new address.
 */
export class IpPool {
  private next = 1;

  constructor(readonly block: number) {
    if (!Number.isInteger(block) || block < 1 || block > 254) throw new Error(`bad loopback block ${block}`);
  }

  allocate(): string {
    const n = this.next++;
    if (n > 254 * 254) throw new Error('loopback pod IP pool exhausted');
    return `127.${this.block}.${Math.floor((n - 1) / 254) + 1}.${((n - 1) % 254) + 1}`;
  }
}
