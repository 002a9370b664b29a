/**
 * The bubblewrap launcher. Each sandbox gets every namespace unshared (network optional), a
 * read-only view of /usr and /etc, a tmpfs /tmp, the sandgate app read-only at /opt/sandgate,
 * and one writable directory of its own (HOME, TMPDIR, the profile). bwrap runs as root only to
 * set up mounts; inside, setpriv drops to an unprivileged uid with no capabilities, so Chromium
 * keeps its own sandbox on. A per-sandbox cgroup gets memory/cpu/pids limits and a freezer.
 */
import { chownSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SandboxCgroup, type CgroupLimits } from '../../process/cgroup.js';
import { CLI_PATH, runtimeArgs, type Launcher, type RuntimeSettings } from '../local/launcher.js';

export interface BwrapOptions {
  /** Parent of the per-sandbox directories. */
  root: string;
  /** none: own network namespace with only loopback (runtime reached over a Unix socket); shared: the host's. */
  network: 'none' | 'shared';
  uid: number;
  gid: number;
  limits: CgroupLimits;
}

/** The installed sandgate app (package root: dist/, node_modules/, package.json). */
const APP_DIR = dirname(dirname(dirname(CLI_PATH)));
const APP_MOUNT = '/opt/sandgate';

export function bwrapArgs(dir: string, options: BwrapOptions, runtime: RuntimeSettings): string[] {
  const inner = runtimeArgs(runtime, options.network === 'none' ? ['--socket', join(dir, 'runtime.sock')] : ['--host', '127.0.0.1', '--port', '0']);
  inner[0] = join(APP_MOUNT, inner[0]?.slice(APP_DIR.length) ?? '');
  const unshare = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', ...(options.network === 'none' ? ['--unshare-net'] : [])];
  return [
    ...unshare,
    '--die-with-parent',
    '--new-session',
    '--ro-bind', '/usr', '/usr',
    '--symlink', 'usr/bin', '/bin',
    '--symlink', 'usr/sbin', '/sbin',
    '--symlink', 'usr/lib', '/lib',
    '--symlink', 'usr/lib64', '/lib64',
    '--ro-bind', '/etc', '/etc',
    '--ro-bind', '/sys', '/sys',
    '--proc', '/proc',
    '--dev', '/dev',
    '--tmpfs', '/tmp',
    '--perms', '0755', '--dir', '/opt',
    '--ro-bind', APP_DIR, APP_MOUNT,
    '--perms', '0755', '--dir', dirname(dir),
    '--bind', dir, dir,
    '--chdir', dir,
    '--setenv', 'HOME', dir,
    '--setenv', 'TMPDIR', dir,
    '--',
    'setpriv', `--reuid=${options.uid}`, `--regid=${options.gid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs',
    process.execPath,
    ...inner,
  ];
}

/** Writes the shell's own PID into each cgroup, then execs bwrap: every process starts inside. */
const ENTER_CGROUPS = 'for f in $SANDGATE_CGROUP_PROCS; do echo $$ > "$f" || exit 111; done; exec "$@"';

export function bwrapLauncher(options: BwrapOptions): Launcher {
  return {
    name: 'local-bwrap',
    isolation: 'namespace',
    async prepare(id, runtime) {
      const dir = join(options.root, id);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chownSync(dir, options.uid, options.gid);
      const cgroup = new SandboxCgroup(id).create(options.limits);
      const dispose = async () => {
        cgroup.destroy();
        rmSync(dir, { recursive: true, force: true });
      };
      return {
        spec: {
          command: '/bin/sh',
          args: ['-c', ENTER_CGROUPS, 'sandgate-enter', 'bwrap', ...bwrapArgs(dir, options, runtime)],
          env: { SANDGATE_CGROUP_PROCS: cgroup.procsFiles().join(' ') },
        },
        cgroup,
        dispose,
      };
    },
  };
}
