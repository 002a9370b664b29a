/**
 * A2A client mode: the judgement is delegated to a remote A2A agent (SendMessage). The agent gets the
 * prompt as text and the compact evidence as a data part; its answer (data part or JSON text) is
 * parsed with the same verdict schema as an LLM's.
 */
import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { RolloutError } from '../errors.js';
import type { LlmClient, LlmRequest } from '../llm/types.js';
import { dataPart, readData, readText, resultParts, textPart, userMessage } from './parts.js';

const FAILED = new Set([TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_REJECTED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_AUTH_REQUIRED, TaskState.TASK_STATE_INPUT_REQUIRED]);

export class A2aJudgeClient implements LlmClient {
  readonly name: string;
  private client: Promise<Client> | undefined;

  constructor(private readonly url: string) {
    this.name = `a2a:${url}`;
  }

  private connect(): Promise<Client> {
    this.client ??= new ClientFactory().createFromUrl(this.url).catch((err: unknown) => {
      this.client = undefined;
      throw new RolloutError('SG_ROLLOUT_A2A_FAILED', `agent card of ${this.url}: ${(err as Error).message}`, { cause: err, retryable: true });
    });
    return this.client;
  }

  async complete(req: LlmRequest): Promise<string> {
    const client = await this.connect();
    const parts = [textPart(`${req.system}\n\n${req.user}`), ...(req.data ? [dataPart(req.data)] : [])];
    let result: Message | Task;
    try {
      result = await client.sendMessage(
        { tenant: '', message: userMessage(parts), configuration: { acceptedOutputModes: ['application/json', 'text/plain'], taskPushNotificationConfig: undefined, returnImmediately: false }, metadata: undefined },
        req.signal ? { signal: req.signal } : {},
      );
    } catch (err) {
      if (req.signal?.aborted) throw err;
      throw new RolloutError('SG_ROLLOUT_A2A_FAILED', `SendMessage to ${this.url}: ${(err as Error).message}`, { cause: err, retryable: true });
    }
    if (!('parts' in result)) {
      const state = result.status?.state;
      if (state !== undefined && FAILED.has(state)) {
        throw new RolloutError('SG_ROLLOUT_A2A_FAILED', `remote task ${result.id} ended ${TaskState[state]}: ${readText(result.status?.message?.parts ?? []).slice(0, 200)}`);
      }
      if (state !== TaskState.TASK_STATE_COMPLETED) throw new RolloutError('SG_ROLLOUT_A2A_FAILED', `remote task ${result.id} not finished (${state === undefined ? 'no state' : TaskState[state]})`, { retryable: true });
    }
    const parts2 = resultParts(result);
    const data = readData(parts2);
    if (data) return JSON.stringify(data);
    const text = readText(parts2);
    if (!text) throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', 'remote agent answered without text or data');
    return text;
  }
}
