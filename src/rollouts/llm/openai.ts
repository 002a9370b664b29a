/** Any OpenAI-compatible server (OpenAI, vLLM, Ollama /v1, LM Studio): /v1/chat/completions with a json_schema response_format. */
import { RolloutError } from '../errors.js';
import { joinUrl, postJson } from './http.js';
import type { LlmClient, LlmRequest } from './types.js';

interface ChatCompletion {
  choices?: Array<{ message?: { content?: string | null; refusal?: string | null }; finish_reason?: string }>;
}

export class OpenAiClient implements LlmClient {
  readonly name: string;

  constructor(private readonly o: { baseUrl: string; model: string; apiKey?: string }) {
    this.name = `openai:${o.model}`;
  }

  async complete(req: LlmRequest): Promise<string> {
    const base = this.o.baseUrl || 'https://api.openai.com/v1';
    const url = /\/v1\/?$/.test(base) ? joinUrl(base, 'chat/completions') : joinUrl(base, 'v1/chat/completions');
    const body = {
      model: this.o.model,
      temperature: 0,
      messages: [
        { role: 'system', content: req.system },
        { role: 'user', content: req.user },
      ],
      response_format: { type: 'json_schema', json_schema: { name: req.schemaName, strict: true, schema: req.schema } },
    };
    const headers: Record<string, string> = this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {};
    const res = (await postJson(url, body, headers, req.signal ?? AbortSignal.timeout(60_000))) as ChatCompletion;
    const message = res.choices?.[0]?.message;
    if (message?.refusal) throw new RolloutError('SG_ROLLOUT_LLM_FAILED', `model refused: ${message.refusal.slice(0, 200)}`);
    if (typeof message?.content !== 'string') throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', 'chat completion without message content');
    return message.content;
  }
}
