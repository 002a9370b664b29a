/** Gemini through @google/genai: JSON mode with responseJsonSchema (schema-enforced output). */
import { ApiError, GoogleGenAI } from '@google/genai';
import { RolloutError, retryableStatus } from '../errors.js';
import type { LlmClient, LlmRequest } from './types.js';

export const DEFAULT_GEMINI_MODEL = 'gemini-2.5-flash';

export class GeminiClient implements LlmClient {
  readonly name: string;
  private readonly ai: GoogleGenAI;

  constructor(private readonly o: { apiKey: string; model: string; baseUrl?: string }) {
    this.name = `gemini:${o.model}`;
    // Retries are ours (withRetry), so the SDK's own are left off (no retryOptions).
    this.ai = new GoogleGenAI({ apiKey: o.apiKey, ...(o.baseUrl ? { httpOptions: { baseUrl: o.baseUrl } } : {}) });
  }

  async complete(req: LlmRequest): Promise<string> {
    let text: string | undefined;
    try {
      const res = await this.ai.models.generateContent({
        model: this.o.model,
        contents: [{ role: 'user', parts: [{ text: req.user }] }],
        config: {
          systemInstruction: req.system,
          temperature: 0,
          responseMimeType: 'application/json',
          responseJsonSchema: req.schema,
          ...(req.signal ? { abortSignal: req.signal } : {}),
        },
      });
      text = res.text;
    } catch (err) {
      if (req.signal?.aborted) throw err;
      if (err instanceof ApiError) {
        // A 429 carries google.rpc.RetryInfo {retryDelay: "13s"} in the error body (the message).
        const delay = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(err.message)?.[1];
        throw new RolloutError('SG_ROLLOUT_LLM_FAILED', `gemini: HTTP ${err.status} ${err.message.slice(0, 200)}`, {
          cause: err,
          retryable: retryableStatus(err.status),
          detail: { status: err.status },
          ...(delay === undefined ? {} : { retryAfter: Number(delay) }),
        });
      }
      throw new RolloutError('SG_ROLLOUT_LLM_FAILED', `gemini: ${(err as Error).message}`, { cause: err, retryable: true });
    }
    if (typeof text !== 'string' || text === '') throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', 'gemini answer without text (blocked or empty)');
    return text;
  }
}
