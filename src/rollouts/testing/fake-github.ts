/**
 * A loopback fake of the GitHub REST API subset the healer uses, with GitHub's shapes: create / get /
 * list issues, comments, and /search/issues (whose index can be told to lag, as GitHub's does).
 */
import { FakeServer, type FakeReply, type RecordedRequest } from './fake-server.js';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  comments: string[];
}

export class FakeGitHub {
  readonly issues: FakeIssue[] = [];
  /** When true, search finds nothing (the index has not caught up). */
  searchLags = false;
  /** Logins that may be assigned; others get 422 like GitHub. */
  assignable = new Set(['copilot-swe-agent', 'octocat']);

  private constructor(readonly server: FakeServer, readonly owner: string, readonly repo: string, readonly token: string) {}

  static async start(owner = 'acme', repo = 'shop', token = 'gh-test-token'): Promise<FakeGitHub> {
    const ref: { fake?: FakeGitHub } = {};
    const server = await FakeServer.start((req) => (ref.fake ? ref.fake.handle(req) : { status: 503 }));
    ref.fake = new FakeGitHub(server, owner, repo, token);
    return ref.fake;
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  private json(i: FakeIssue): unknown {
    const html = `https://github.com/${this.owner}/${this.repo}/issues/${i.number}`;
    return { id: 1000 + i.number, number: i.number, title: i.title, body: i.body, state: i.state, html_url: html, url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${i.number}`, labels: i.labels.map((name) => ({ name })), assignees: i.assignees.map((login) => ({ login })), comments: i.comments.length };
  }

  private handle(req: RecordedRequest): FakeReply {
    if (req.headers.authorization !== `token ${this.token}`) return { status: 401, json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
    const base = `/repos/${this.owner}/${this.repo}/issues`;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const find = (n: string | undefined) => this.issues.find((i) => String(i.number) === n);
    if (req.method === 'POST' && req.path === base) {
      const assignees = (body.assignees as string[] | undefined) ?? [];
      if (assignees.some((a) => !this.assignable.has(a))) return { status: 422, json: { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'assignees', code: 'invalid' }] } };
      const issue: FakeIssue = { number: this.issues.length + 1, title: String(body.title), body: String(body.body ?? ''), state: 'open', labels: (body.labels as string[] | undefined) ?? [], assignees, comments: [] };
      this.issues.push(issue);
      return { status: 201, json: this.json(issue) };
    }
    if (req.method === 'GET' && req.path === base) {
      const label = req.query.get('labels');
      const state = req.query.get('state') ?? 'open';
      const list = this.issues.filter((i) => (state === 'all' || i.state === state) && (!label || i.labels.includes(label))).reverse();
      return { json: list.map((i) => this.json(i)) };
    }
    const one = new RegExp(`^${base}/(\\d+)$`).exec(req.path);
    if (req.method === 'GET' && one) {
      const issue = find(one[1]);
      return issue ? { json: this.json(issue) } : { status: 404, json: { message: 'Not Found' } };
    }
    const comments = new RegExp(`^${base}/(\\d+)/comments$`).exec(req.path);
    if (req.method === 'POST' && comments) {
      const issue = find(comments[1]);
      if (!issue) return { status: 404, json: { message: 'Not Found' } };
      issue.comments.push(String(body.body));
      return { status: 201, json: { id: 5000 + issue.comments.length, body: body.body, html_url: `https://github.com/${this.owner}/${this.repo}/issues/${issue.number}#issuecomment-${issue.comments.length}` } };
    }
    if (req.method === 'GET' && req.path === '/search/issues') {
      const q = req.query.get('q') ?? '';
      const phrase = /"([^"]+)"/.exec(q)?.[1] ?? '';
      const items = this.searchLags ? [] : this.issues.filter((i) => q.includes(`repo:${this.owner}/${this.repo}`) && (!q.includes('is:open') || i.state === 'open') && i.body.includes(phrase));
      return { json: { total_count: items.length, incomplete_results: false, items: items.map((i) => this.json(i)) } };
    }
    return { status: 404, json: { message: 'Not Found' } };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
