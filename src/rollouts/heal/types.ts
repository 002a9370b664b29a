/** The self-healing loop's seam: what happens after a rollback verdict. */
import type { AnalysisResult } from '../analysis/analyzer.js';

export interface HealOutcome {
  action: 'created' | 'commented' | 'dry-run' | 'failed';
  fingerprint: string;
  issue?: { number: number; url: string };
  detail?: string;
}

export interface Healer {
  onRollback(result: AnalysisResult): Promise<HealOutcome>;
}
