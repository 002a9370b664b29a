/**
 * The self-healing loop after a rollback: one GitHub issue per fingerprint (rollout + cause) for the
 * coding agent; the same failure again comments on the open issue instead. Work for one fingerprint
 * is serialized in-process, and a just-created issue is remembered, so concurrent or back-to-back
 * rollbacks never open duplicates. Dry-run prints instead of calling GitHub.
 */
import type { AnalysisResult } from '../analysis/analyzer.js';
import type { RetryOptions } from '../llm/retry.js';
import type { LlmClient } from '../llm/types.js';
import { fingerprint, marker } from './fingerprint.js';
import type { IssueRef, IssueTracker } from './github.js';
import { occurrenceComment, writeIssue } from './issue-text.js';
import type { HealOutcome, Healer } from './types.js';

export interface HealerOptions {
  tracker: IssueTracker | undefined;
  llm: LlmClient | undefined;
  labels: readonly string[];
  assignee: string;
  dryRun: boolean;
  retry: Omit<RetryOptions, 'signal'>;
  print: (text: string) => void;
}

export class IssueHealer implements Healer {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly known = new Map<string, IssueRef>();

  constructor(private readonly o: HealerOptions) {}

  onRollback(result: AnalysisResult): Promise<HealOutcome> {
    const fp = fingerprint(result.target, result.decision.causeKey);
    const prev = this.chains.get(fp) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.heal(result, fp));
    this.chains.set(fp, next);
    void next.finally(() => {
      if (this.chains.get(fp) === next) this.chains.delete(fp);
    }).catch(() => undefined);
    return next;
  }

  private async heal(result: AnalysisResult, fp: string): Promise<HealOutcome> {
    const labels = [...this.o.labels];
    if (this.o.dryRun || !this.o.tracker) {
      const text = await writeIssue(result, fp, this.o.llm, this.o.retry);
      this.o.print(['--- rollback issue (dry run: GitHub not called) ---', `title: ${text.title}`, `labels: ${labels.join(', ') || '(none)'}`, `assignee: ${this.o.assignee || '(none)'}`, `fingerprint: ${fp} (an open issue with it gets a comment instead)`, '', text.body, '---'].join('\n'));
      return { action: 'dry-run', fingerprint: fp };
    }
    const tracker = this.o.tracker;
    const remembered = this.known.get(fp);
    const existing = remembered && (await tracker.isOpen(remembered.number)) ? remembered : await tracker.findOpen(marker(fp), labels[0]);
    if (existing) {
      await tracker.comment(existing.number, occurrenceComment(result));
      this.known.set(fp, existing);
      return { action: 'commented', fingerprint: fp, issue: existing };
    }
    const text = await writeIssue(result, fp, this.o.llm, this.o.retry);
    const issue = await tracker.create({ title: text.title, body: text.body, labels, assignees: this.o.assignee ? [this.o.assignee] : [] });
    this.known.set(fp, issue);
    return { action: 'created', fingerprint: fp, issue };
  }
}
