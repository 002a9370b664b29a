/** What can run on this machine: each check reports ok/missing with the reason. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function version(cmd: string, args: string[]): Promise<Check> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 10_000 });
    return { name: cmd, ok: true, detail: (stdout || stderr).trim().split('\n')[0] ?? '' };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { name: cmd, ok: false, detail: e.code === 'ENOENT' ? `${cmd} not found` : e.message.split('\n')[0] ?? 'failed' };
  }
}

export async function checkChromium(path: string): Promise<Check> {
  if (!existsSync(path)) return { name: 'chromium', ok: false, detail: `${path} not found (apt-get install -y chromium)` };
  const c = await version(path, ['--version']);
  return { ...c, name: 'chromium' };
}

export async function checkBubblewrap(): Promise<Check> {
  return { ...(await version('bwrap', ['--version'])), name: 'bubblewrap' };
}

export async function checkRunsc(): Promise<Check> {
  return { ...(await version('runsc', ['--version'])), name: 'runsc' };
}

export function checkCgroups(mounts = '/proc/mounts'): Check {
  let text = '';
  try {
    text = readFileSync(mounts, 'utf8');
  } catch {
    return { name: 'cgroups', ok: false, detail: `cannot read ${mounts}` };
  }
  const v1 = [...text.matchAll(/^cgroup \S+ cgroup \S*?(memory|cpu|pids|freezer)\S*/gm)].map((m) => m[1]);
  const v2 = /^\S+ \S+ cgroup2 /m.test(text);
  const controllers = [...new Set(v1)].sort();
  const detail = [v2 ? 'v2 mounted' : 'no v2', controllers.length ? `v1 controllers: ${controllers.join(', ')}` : 'no v1 controllers'].join('; ');
  return { name: 'cgroups', ok: v2 || controllers.length > 0, detail };
}

export function checkKube(env: NodeJS.ProcessEnv = process.env): Check {
  if (env.KUBERNETES_SERVICE_HOST) return { name: 'kubernetes', ok: true, detail: 'in-cluster service account' };
  const file = env.KUBECONFIG ?? `${env.HOME ?? ''}/.kube/config`;
  if (existsSync(file)) return { name: 'kubernetes', ok: true, detail: `kubeconfig ${file}` };
  return { name: 'kubernetes', ok: false, detail: 'no in-cluster config and no kubeconfig' };
}

/** Which checks a backend needs to run. */
export const BACKEND_NEEDS: Record<string, string[]> = {
  'local-process': ['node', 'chromium'],
  'local-bwrap': ['node', 'chromium', 'bubblewrap', 'cgroups'],
  'local-gvisor': ['node', 'chromium', 'runsc'],
};
