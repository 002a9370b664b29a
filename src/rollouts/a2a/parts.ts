/** Building and reading A2A v1.0 message parts (text and structured data). */
import { Role, type Message, type Part, type Task } from '@a2a-js/sdk';

export function textPart(text: string): Part {
  return { content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' };
}

export function dataPart(value: Record<string, unknown>): Part {
  return { content: { $case: 'data', value }, metadata: undefined, filename: '', mediaType: 'application/json' };
}

export function message(role: Role, parts: Part[], ids: { taskId?: string; contextId?: string } = {}): Message {
  return { messageId: crypto.randomUUID(), contextId: ids.contextId ?? '', taskId: ids.taskId ?? '', role, parts, metadata: undefined, extensions: [], referenceTaskIds: [] };
}

export const userMessage = (parts: Part[]) => message(Role.ROLE_USER, parts);

/** The first structured value among the parts, or a JSON object found in a text part. */
export function readData(parts: readonly Part[]): Record<string, unknown> | undefined {
  for (const p of parts) {
    if (p.content?.$case === 'data' && p.content.value && typeof p.content.value === 'object') return p.content.value as Record<string, unknown>;
  }
  for (const p of parts) {
    if (p.content?.$case !== 'text') continue;
    const text = p.content.value.trim();
    if (!text.startsWith('{')) continue;
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // not JSON: a prose message
    }
  }
  return undefined;
}

export function readText(parts: readonly Part[]): string {
  return parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : [])).join('\n');
}

/** All parts a finished task or a direct reply carries: artifacts first, then the status message. */
export function resultParts(result: Message | Task): Part[] {
  if ('parts' in result) return result.parts;
  return [...result.artifacts.flatMap((a) => a.parts), ...(result.status?.message?.parts ?? [])];
}
