/**
 * The A2A agent (A2A v1.0 via @a2a-js/sdk): SendMessage → an analysis task. A data part
 * {kind: "analysis-request", namespace, stableHash, canaryHash, …} runs a full analysis (logs, judges,
 * self-healing); {kind: "canary-evidence", evidence, extraPrompt} judges evidence a remote sandgate
 * already collected (its A2A client mode). The verdict is the task's artifact (data + JSON text).
 */
import { A2A_PROTOCOL_VERSION, Role, TaskState, type AgentCard, type Part } from '@a2a-js/sdk';
import { AgentEvent, type AgentExecutor, type ExecutionEventBus, type RequestContext } from '@a2a-js/sdk/server';
import type { Analyzer } from '../analysis/analyzer.js';
import { parseAnalysisRequest } from '../analysis/request.js';
import { RolloutError, toRolloutError } from '../errors.js';
import type { Decision } from '../judge/types.js';
import { asLlmVerdict } from '../serve/views.js';
import { parseEvidence } from './evidence-schema.js';
import { dataPart, message, readData, textPart } from './parts.js';

export function agentCard(url: string, version: string): AgentCard {
  return {
    name: 'sandgate canary judge',
    description: 'Judges a canary rollout from the logs and metrics of its stable and canary pods (statistics + LLM), fail-closed.',
    supportedInterfaces: [{ url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: A2A_PROTOCOL_VERSION }],
    provider: { organization: 'sandgate', url: 'https://github.com/sandgate' },
    version,
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['application/json', 'text/plain'],
    defaultOutputModes: ['application/json', 'text/plain'],
    skills: [
      {
        id: 'canary-judgement',
        name: 'Canary judgement',
        description: 'Send {kind:"analysis-request", namespace, rollout, stableHash, canaryHash} (or selectors) to analyse pods, or {kind:"canary-evidence", evidence} to judge collected evidence. Answers {promote, confidence, summary, evidence, suspectedCause, verdict, score}.',
        tags: ['canary', 'rollout', 'argo-rollouts', 'flagger'],
        examples: ['{"kind":"analysis-request","namespace":"shop","rollout":"web","stableHash":"6d4f7c9b8","canaryHash":"7a8b9c0d1"}'],
        inputModes: ['application/json'],
        outputModes: ['application/json'],
        securityRequirements: [],
      },
    ],
    signatures: [],
  };
}

const now = () => new Date().toISOString();

export class CanaryJudgeExecutor implements AgentExecutor {
  constructor(private readonly analyzer: Analyzer) {}

  cancelTask = async (): Promise<void> => undefined;

  private async judge(parts: readonly Part[]): Promise<Decision> {
    const data = readData(parts);
    if (data?.kind === 'canary-evidence') {
      const ev = parseEvidence(data.evidence);
      if (!ev) throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', 'canary-evidence: evidence does not match the schema');
      return this.analyzer.judge(ev, typeof data.extraPrompt === 'string' ? data.extraPrompt : undefined);
    }
    if (!data) throw new RolloutError('SG_ROLLOUT_BAD_REQUEST', 'send a data part {kind:"analysis-request", namespace, stableHash, canaryHash} or {kind:"canary-evidence", evidence}');
    return (await this.analyzer.analyze(parseAnalysisRequest(data))).decision;
  }

  async execute(ctx: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId } = ctx;
    const status = (state: TaskState, text?: string) =>
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: { state, timestamp: now(), message: text ? message(Role.ROLE_AGENT, [textPart(text)], { taskId, contextId }) : undefined }, metadata: undefined }));
    bus.publish(AgentEvent.task(ctx.task ?? { id: taskId, contextId, status: { state: TaskState.TASK_STATE_SUBMITTED, timestamp: now(), message: undefined }, artifacts: [], history: [ctx.userMessage], metadata: undefined }));
    status(TaskState.TASK_STATE_WORKING, 'analysing the canary');
    try {
      const verdict = asLlmVerdict(await this.judge(ctx.userMessage.parts));
      const artifact = { artifactId: crypto.randomUUID(), name: 'verdict', description: 'canary verdict', parts: [dataPart({ ...verdict }), textPart(JSON.stringify(verdict))], metadata: undefined, extensions: [] };
      bus.publish(AgentEvent.artifactUpdate({ taskId, contextId, artifact, append: false, lastChunk: true, metadata: undefined }));
      status(TaskState.TASK_STATE_COMPLETED);
    } catch (err) {
      const e = toRolloutError(err);
      status(e.code === 'SG_ROLLOUT_BAD_REQUEST' ? TaskState.TASK_STATE_REJECTED : TaskState.TASK_STATE_FAILED, `${e.code}: ${e.message}`);
    }
  }
}
