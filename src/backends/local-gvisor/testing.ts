/** Shared by the local-gvisor test files. */
import { execFileSync } from 'node:child_process';
import { chromiumSkip, prerequisite } from '../../testing/prereq.js';

function hasRunsc(): boolean {
  try {
    return /runsc version/.test(execFileSync('runsc', ['--version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

export const gvisorSkip = (): string | false => chromiumSkip() || prerequisite(hasRunsc(), 'runsc (apt-get install -t bookworm-backports runsc)');
