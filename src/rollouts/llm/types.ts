/** One LLM (or remote agent) behind a uniform "system + user prompt → JSON text" call. */
export interface LlmRequest {
  system: string;
  user: string;
  /** JSON schema the answer must match; providers that can enforce it do. */
  schema: Record<string, unknown>;
  schemaName: string;
  /** Structured copy of the input for providers that can carry data (A2A data parts). */
  data?: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface LlmClient {
  /** e.g. "gemini:gemini-2.5-flash" — shown in verdicts and logs. */
  readonly name: string;
  /** Resolves the raw answer text; throws RolloutError (retryable for 429 / 5xx / network). */
  complete(request: LlmRequest): Promise<string>;
}
