/**
 * Process-tree helpers built on /proc: find every descendant of a PID and kill the whole tree by PID.
 * Never by name. Chromium puts itself in its own process group, so a group kill alone would miss it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

interface ProcStat {
  pid: number;
  ppid: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: fields after the last ')' are fixed.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** All live descendants of `root` (not including root), parents before children. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Sends `sig` to `pid` and every descendant (SIGSTOP/SIGCONT pause a whole sandbox). */
export function signalTree(pid: number, sig: NodeJS.Signals): void {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, sig);
    } catch {
      // gone
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat); // a zombie is dead for our purposes
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM every member, wait up to `graceMs` for the whole tree to exit, then SIGKILL every
 * remaining member (descendants are collected before the root dies, so orphans are not lost).
 */
export async function killTree(root: number, graceMs = 2000): Promise<void> {
  const tree = new Set([root, ...descendants(root)]);
  // Every member: a wrapper (sh, bwrap) in front of the real runtime may not forward signals.
  for (const pid of tree) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    for (const pid of descendants(root)) tree.add(pid);
    if (![...tree].some(isAlive)) return;
    await sleep(25);
  }
  for (const pid of descendants(root)) tree.add(pid);
  for (const pid of tree) signal(pid, 'SIGKILL');
}

/** SIGKILLs whichever of `pids` are still alive. */
export function killRemaining(pids: Iterable<number>): void {
  for (const pid of pids) if (isAlive(pid)) signal(pid, 'SIGKILL');
}
