/**
 * GitHub issues through @octokit/rest: find an open issue carrying a fingerprint marker (search,
 * then a consistent listing because the search index lags), create one, or comment on it.
 */
import { Octokit } from '@octokit/rest';
import { RolloutError, retryableStatus } from '../errors.js';

export interface IssueRef {
  number: number;
  url: string;
}

export interface IssueTracker {
  findOpen(markerText: string, label: string | undefined): Promise<IssueRef | undefined>;
  isOpen(number: number): Promise<boolean>;
  create(issue: { title: string; body: string; labels: string[]; assignees: string[] }): Promise<IssueRef>;
  comment(number: number, body: string): Promise<void>;
}

export function parseRepo(value: string): { owner: string; repo: string } {
  const m = /^(?:https:\/\/github\.com\/)?([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(value);
  if (!m?.[1] || !m[2]) throw new RolloutError('SG_ROLLOUT_CONFIG_INVALID', `githubRepo: expected owner/name, got ${value}`);
  return { owner: m[1], repo: m[2] };
}

function githubError(err: unknown, what: string): RolloutError {
  const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : undefined;
  return new RolloutError('SG_ROLLOUT_GITHUB_FAILED', `${what}: ${status ?? ''} ${(err as Error).message}`.trim(), { cause: err, retryable: status === undefined || retryableStatus(status), ...(status ? { detail: { status } } : {}) });
}

export class OctokitTracker implements IssueTracker {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;

  constructor(o: { token: string; repo: string; baseUrl: string }) {
    ({ owner: this.owner, repo: this.repo } = parseRepo(o.repo));
    this.octokit = new Octokit({ auth: o.token, baseUrl: o.baseUrl, userAgent: 'sandgate-rollouts' });
  }

  async findOpen(markerText: string, label: string | undefined): Promise<IssueRef | undefined> {
    const has = (body: string | null | undefined) => (body ?? '').includes(markerText);
    try {
      const q = `repo:${this.owner}/${this.repo} is:issue is:open in:body "${markerText}"`;
      const found = await this.octokit.rest.search.issuesAndPullRequests({ q, per_page: 10 });
      const hit = found.data.items.find((i) => has(i.body) && !i.pull_request);
      if (hit) return { number: hit.number, url: hit.html_url };
    } catch {
      // Search is best effort (rate limits, deprecations); the listing below is authoritative.
    }
    try {
      const open = await this.octokit.rest.issues.listForRepo({ owner: this.owner, repo: this.repo, state: 'open', per_page: 100, sort: 'created', direction: 'desc', ...(label ? { labels: label } : {}) });
      const hit = open.data.find((i) => has(i.body) && !i.pull_request);
      return hit ? { number: hit.number, url: hit.html_url } : undefined;
    } catch (err) {
      throw githubError(err, 'list open issues');
    }
  }

  async isOpen(number: number): Promise<boolean> {
    try {
      const issue = await this.octokit.rest.issues.get({ owner: this.owner, repo: this.repo, issue_number: number });
      return issue.data.state === 'open';
    } catch (err) {
      if ((err as { status?: number }).status === 404 || (err as { status?: number }).status === 410) return false;
      throw githubError(err, `get issue #${number}`);
    }
  }

  async create(issue: { title: string; body: string; labels: string[]; assignees: string[] }): Promise<IssueRef> {
    const send = (assignees: string[]) => this.octokit.rest.issues.create({ owner: this.owner, repo: this.repo, title: issue.title, body: issue.body, labels: issue.labels, ...(assignees.length ? { assignees } : {}) });
    try {
      const res = await send(issue.assignees).catch((err: unknown) => {
        // An assignee the repository does not accept must not lose the issue.
        if ((err as { status?: number }).status === 422 && issue.assignees.length > 0) return send([]);
        throw err;
      });
      return { number: res.data.number, url: res.data.html_url };
    } catch (err) {
      throw githubError(err, 'create issue');
    }
  }

  async comment(number: number, body: string): Promise<void> {
    try {
      await this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: number, body });
    } catch (err) {
      throw githubError(err, `comment on #${number}`);
    }
  }
}
