/** Ollama's native API: /api/chat with `format` set to the JSON schema (structured outputs). */
import { RolloutError } from '../errors.js';
import { joinUrl, postJson } from './http.js';
import type { LlmClient, LlmRequest } from './types.js';

interface ChatResponse {
  message?: { content?: string };
  error?: string;
}

export class OllamaClient implements LlmClient {
  readonly name: string;

  constructor(private readonly o: { baseUrl: string; model: string }) {
    this.name = `ollama:${o.model}`;
  }

  async complete(req: LlmRequest): Promise<string> {
    const body = {
      model: this.o.model,
      stream: false,
      format: req.schema,
      options: { temperature: 0 },
      messages: [
        { role: 'system', content: req.system },
        { role: 'user', content: req.user },
      ],
    };
    const url = joinUrl(this.o.baseUrl || 'http://127.0.0.1:11434', 'api/chat');
    const res = (await postJson(url, body, {}, req.signal ?? AbortSignal.timeout(60_000))) as ChatResponse;
    if (res.error) throw new RolloutError('SG_ROLLOUT_LLM_FAILED', `ollama: ${res.error.slice(0, 200)}`);
    if (typeof res.message?.content !== 'string') throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', 'ollama answer without message content');
    return res.message.content;
  }
}
