/**
 * Per-sandbox cgroups: memory, cpu and pids limits plus a freezer, on cgroup v1 controllers or
 * the v2 unified tree, whichever this machine offers (both are detected; v1 wins per controller
 * because on hybrid hosts the v2 tree often has no controllers enabled).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Controller = 'memory' | 'cpu' | 'pids' | 'freezer';

export interface CgroupLimits {
  memoryBytes?: number | undefined;
  /** CPU cores (e.g. 1.5); 0 or undefined = unlimited. */
  cpus?: number | undefined;
  pids?: number | undefined;
}

export interface CgroupLayout {
  /** v1 mount point per controller. */
  v1: Partial<Record<Controller, string>>;
  /** v2 unified mount point and the controllers enabled at its root. */
  v2?: { root: string; controllers: string[] } | undefined;
}

export function detectCgroups(mounts = '/proc/mounts'): CgroupLayout {
  const layout: CgroupLayout = { v1: {} };
  let text = '';
  try {
    text = readFileSync(mounts, 'utf8');
  } catch {
    return layout;
  }
  for (const line of text.split('\n')) {
    const [, mountPoint, type, options = ''] = line.split(' ');
    if (!mountPoint) continue;
    if (type === 'cgroup') {
      for (const c of ['memory', 'cpu', 'pids', 'freezer'] as const) if (options.split(',').includes(c)) layout.v1[c] = mountPoint;
    } else if (type === 'cgroup2') {
      let controllers: string[] = [];
      try {
        controllers = readFileSync(join(mountPoint, 'cgroup.controllers'), 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        // no controllers file: freeze/kill only
      }
      layout.v2 = { root: mountPoint, controllers };
    }
  }
  return layout;
}

function write(file: string, value: string): boolean {
  try {
    writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

export class SandboxCgroup {
  /** Directories this sandbox owns, one per hierarchy used. */
  private readonly dirs: string[] = [];
  private freezer: { dir: string; v2: boolean } | undefined;
  private memory: { dir: string; v2: boolean } | undefined;
  /** Which limits were actually applied (for doctor and logs). */
  readonly applied: string[] = [];

  constructor(readonly name: string, private readonly layout: CgroupLayout = detectCgroups()) {}

  /** Creates the groups and applies what works. Never throws: a missing controller is reported in `applied`. */
  create(limits: CgroupLimits): this {
    const v2dir = this.layout.v2 ? join(this.layout.v2.root, 'sandgate', this.name) : undefined;
    const v2has = (c: string) => this.layout.v2?.controllers.includes(c) ?? false;
    const dirFor = (c: Controller): { dir: string; v2: boolean } | undefined => {
      const mount = this.layout.v1[c];
      if (mount) return { dir: join(mount, 'sandgate', this.name), v2: false };
      if (v2dir && (c === 'freezer' || v2has(c))) return { dir: v2dir, v2: true };
      return undefined;
    };
    for (const c of ['memory', 'cpu', 'pids', 'freezer'] as const) {
      const target = dirFor(c);
      if (!target) continue;
      try {
        mkdirSync(target.dir, { recursive: true });
      } catch {
        continue;
      }
      if (!this.dirs.includes(target.dir)) this.dirs.push(target.dir);
      const f = (v1: string, v2: string) => join(target.dir, target.v2 ? v2 : v1);
      if (c === 'memory' && limits.memoryBytes && write(f('memory.limit_in_bytes', 'memory.max'), String(limits.memoryBytes))) {
        if (!target.v2) write(join(target.dir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
        this.memory = target;
        this.applied.push(`memory ${limits.memoryBytes} B (${target.v2 ? 'v2' : 'v1'})`);
      } else if (c === 'memory') this.memory = target;
      if (c === 'cpu' && limits.cpus) {
        const quota = Math.round(limits.cpus * 100_000);
        const ok = target.v2 ? write(f('', 'cpu.max'), `${quota} 100000`) : write(f('cpu.cfs_period_us', ''), '100000') && write(f('cpu.cfs_quota_us', ''), String(quota));
        if (ok) this.applied.push(`cpu ${limits.cpus} (${target.v2 ? 'v2' : 'v1'})`);
      }
      if (c === 'pids' && limits.pids && write(f('pids.max', 'pids.max'), String(limits.pids))) this.applied.push(`pids ${limits.pids}`);
      if (c === 'freezer' && existsSync(f('freezer.state', 'cgroup.freeze'))) {
        this.freezer = target;
        this.applied.push(`freezer (${target.v2 ? 'v2' : 'v1'})`);
      }
    }
    return this;
  }

  /** `cgroup.procs` files a launcher writes its own PID into before exec, so every child is inside. */
  procsFiles(): string[] {
    return this.dirs.map((d) => join(d, 'cgroup.procs'));
  }

  get canFreeze(): boolean {
    return this.freezer !== undefined;
  }

  freeze(): boolean {
    if (!this.freezer) return false;
    return write(join(this.freezer.dir, this.freezer.v2 ? 'cgroup.freeze' : 'freezer.state'), this.freezer.v2 ? '1' : 'FROZEN');
  }

  thaw(): boolean {
    if (!this.freezer) return false;
    return write(join(this.freezer.dir, this.freezer.v2 ? 'cgroup.freeze' : 'freezer.state'), this.freezer.v2 ? '0' : 'THAWED');
  }

  /** Processes killed by the OOM killer inside this group so far. */
  oomKills(): number {
    if (!this.memory) return 0;
    try {
      const file = join(this.memory.dir, this.memory.v2 ? 'memory.events' : 'memory.oom_control');
      const m = /oom_kill (\d+)/.exec(readFileSync(file, 'utf8'));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  }

  pids(): number[] {
    const out = new Set<number>();
    for (const file of this.procsFiles()) {
      try {
        for (const line of readFileSync(file, 'utf8').split('\n')) if (line) out.add(Number(line));
      } catch {
        // group gone
      }
    }
    return [...out];
  }

  /** Removes the groups (they must be empty: kill the tree first). */
  destroy(): void {
    this.thaw();
    for (const dir of this.dirs) {
      try {
        rmdirSync(dir);
      } catch {
        // still busy or already gone
      }
    }
  }
}
