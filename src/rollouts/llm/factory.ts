/** The configured LLM judge (or remote A2A agent), or none. */
import { A2aJudgeClient } from '../a2a/client.js';
import type { RolloutsConfig } from '../config/schema.js';
import { RolloutError } from '../errors.js';
import { DEFAULT_GEMINI_MODEL, GeminiClient } from './gemini.js';
import { OllamaClient } from './ollama.js';
import { OpenAiClient } from './openai.js';
import type { LlmClient } from './types.js';

export function createLlm(cfg: RolloutsConfig): LlmClient | undefined {
  switch (cfg.llmProvider) {
    case 'none':
      return undefined;
    case 'gemini':
      if (!cfg.llmApiKey) throw new RolloutError('SG_ROLLOUT_CONFIG_INVALID', 'llmProvider=gemini needs an API key (SANDGATE_ROLLOUTS_LLM_API_KEY or GOOGLE_API_KEY)');
      return new GeminiClient({ apiKey: cfg.llmApiKey, model: cfg.llmModel || DEFAULT_GEMINI_MODEL, ...(cfg.llmBaseUrl ? { baseUrl: cfg.llmBaseUrl } : {}) });
    case 'openai':
      return new OpenAiClient({ baseUrl: cfg.llmBaseUrl, model: cfg.llmModel, ...(cfg.llmApiKey ? { apiKey: cfg.llmApiKey } : {}) });
    case 'ollama':
      return new OllamaClient({ baseUrl: cfg.llmBaseUrl, model: cfg.llmModel });
    case 'a2a':
      return new A2aJudgeClient(cfg.a2aUrl);
  }
}
