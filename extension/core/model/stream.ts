// Reads a streamed chat completion into one reply: text deltas concatenated, tool-call deltas accumulated by index,
// the finish reason and the trailing usage chunk. It also watches for silence (a stalled stream) and tells its
// caller to abort. Whether the reply is complete is decided by the caller from `finishReason`.
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { WireUsage } from './cost.js';
import { modelError } from './errors.js';
import type { ToolCall } from './types.js';
import { newCallId } from './wire.js';

export interface StreamedReply {
  text: string;
  toolCalls: ToolCall[];
  /** Undefined when the stream ended without a finish reason: the reply is incomplete. */
  finishReason: string | undefined;
  usage: WireUsage | undefined;
}

export interface StreamWatch {
  stallTimeoutMs: number;
  /** Text plus tool-call arguments beyond this is refused (a bad_response ModelError). */
  maxChars: number;
  /** Called once when no chunk arrived for stallTimeoutMs; the caller aborts the request. */
  onStall: () => void;
  onText: (delta: string) => void;
}

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

export async function readStream(stream: AsyncIterable<ChatCompletionChunk>, watch: StreamWatch): Promise<StreamedReply> {
  let text = '';
  const calls = new Map<number, PartialCall>();
  let finishReason: string | undefined;
  let usage: WireUsage | undefined;
  let chars = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(watch.onStall, watch.stallTimeoutMs);
  };
  arm();
  try {
    for await (const chunk of stream) {
      arm();
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (typeof delta?.content === 'string' && delta.content !== '') {
        text += delta.content;
        watch.onText(delta.content);
      }
      for (const d of delta?.tool_calls ?? []) {
        // Some servers omit `index`; they send one call at a time, so the id (or the last call) identifies it.
        const index = typeof d.index === 'number' ? d.index : findIndex(calls, d.id);
        const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
        if (d.id) call.id = d.id;
        const name = d.function?.name;
        // Some servers repeat the full name on every delta instead of sending it once.
        if (name && name !== call.name) call.name = call.name === '' ? name : call.name + name;
        if (d.function?.arguments) call.arguments += d.function.arguments;
        calls.set(index, call);
      }
      chars += (delta?.content?.length ?? 0) + (delta?.tool_calls ?? []).reduce((n, d) => n + (d.function?.arguments?.length ?? 0), 0);
      if (chars > watch.maxChars) throw modelError('bad_response', `the streamed reply is larger than ${watch.maxChars} characters; refusing it`);
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  } finally {
    clearTimeout(timer);
  }
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({ id: c.id || newCallId(), name: c.name, arguments: c.arguments }));
  return { text, toolCalls, finishReason, usage };
}

function findIndex(calls: Map<number, PartialCall>, id: string | undefined): number {
  if (id) {
    for (const [index, call] of calls) if (call.id === id) return index;
    return calls.size;
  }
  return Math.max(0, calls.size - 1);
}
