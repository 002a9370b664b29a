/**
 * Loopback fakes of the three LLM APIs, speaking their real HTTP shapes: Gemini generateContent
 * (REST v1beta), OpenAI chat completions, Ollama /api/chat. Scripted steps (errors, hangs, raw
 * text) are consumed first; then the brain answers.
 */
import { FakeServer, type FakeReply, type RecordedRequest } from './fake-server.js';

export type LlmStep = { answer: string } | { status: number; retryAfter?: number } | { hang: true };
export interface Prompt {
  system: string;
  user: string;
  schema: unknown;
}
export type Brain = (p: Prompt) => string;

export type LlmApi = 'gemini' | 'openai' | 'ollama';

type Body = Record<string, unknown>;
const messages = (b: Body) => (Array.isArray(b.messages) ? (b.messages as Array<{ role: string; content: string }>) : []);

function promptOf(api: LlmApi, b: Body): Prompt {
  if (api === 'gemini') {
    const sys = b.systemInstruction as { parts?: Array<{ text?: string }> } | undefined;
    const contents = (b.contents as Array<{ parts?: Array<{ text?: string }> }> | undefined) ?? [];
    const cfg = (b.generationConfig as Body | undefined) ?? {};
    return { system: sys?.parts?.map((p) => p.text ?? '').join('') ?? '', user: contents.flatMap((c) => c.parts ?? []).map((p) => p.text ?? '').join(''), schema: cfg.responseJsonSchema };
  }
  const m = messages(b);
  const schema = api === 'openai' ? ((b.response_format as Body | undefined)?.json_schema as Body | undefined)?.schema : b.format;
  return { system: m.find((x) => x.role === 'system')?.content ?? '', user: m.find((x) => x.role === 'user')?.content ?? '', schema };
}

function answer(api: LlmApi, text: string, model: string): unknown {
  if (api === 'gemini') return { candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 }, modelVersion: model };
  if (api === 'openai') return { id: 'chatcmpl-fake', object: 'chat.completion', created: 1736935200, model, choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } };
  return { model, created_at: '2025-01-15T10:00:00Z', message: { role: 'assistant', content: text }, done: true, done_reason: 'stop' };
}

function error(api: LlmApi, status: number, retryAfter?: number): unknown {
  if (api === 'gemini') {
    // Gemini says when to retry in google.rpc.RetryInfo, not in a header.
    const details = retryAfter === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` }];
    return { error: { code: status, message: status === 429 ? 'Resource has been exhausted (e.g. check quota).' : 'The service is currently unavailable.', status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'UNAVAILABLE', details } };
  }
  if (api === 'openai') return { error: { message: `fake error ${status}`, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null } };
  return { error: `fake error ${status}` };
}

const PATHS: Record<LlmApi, RegExp> = { gemini: /^\/v1beta\/models\/([^/:]+):generateContent$/, openai: /^\/v1\/chat\/completions$/, ollama: /^\/api\/chat$/ };

export class FakeLlm {
  readonly steps: LlmStep[] = [];
  readonly prompts: Prompt[] = [];

  private constructor(readonly api: LlmApi, readonly server: FakeServer, readonly key: string) {}

  static async start(api: LlmApi, brain: Brain, key = 'test-key'): Promise<FakeLlm> {
    const ref: { fake?: FakeLlm } = {};
    const server = await FakeServer.start((req) => (ref.fake ? ref.fake.handle(req, brain) : { status: 503 }));
    ref.fake = new FakeLlm(api, server, key);
    return ref.fake;
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  private handle(req: RecordedRequest, brain: Brain): FakeReply {
    const m = PATHS[this.api].exec(req.path);
    if (req.method !== 'POST' || !m) return { status: 404, json: { error: 'not found' } };
    const auth = this.api === 'gemini' ? req.headers['x-goog-api-key'] : this.api === 'openai' ? req.headers.authorization : this.key;
    if (auth !== (this.api === 'openai' ? `Bearer ${this.key}` : this.key)) return { status: this.api === 'gemini' ? 400 : 401, json: error(this.api, 401) };
    const body = (req.body ?? {}) as Body;
    const model = this.api === 'gemini' ? (m[1] ?? '') : String(body.model ?? '');
    const step = this.steps.shift();
    if (step && 'hang' in step) return { hang: true };
    if (step && 'status' in step) {
      const headers: Record<string, string> = step.retryAfter === undefined || this.api === 'gemini' ? {} : { 'retry-after': String(step.retryAfter) };
      return { status: step.status, json: error(this.api, step.status, step.retryAfter), headers };
    }
    const prompt = promptOf(this.api, body);
    this.prompts.push(prompt);
    return { json: answer(this.api, step ? step.answer : brain(prompt), model) };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
