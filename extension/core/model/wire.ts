// Conversion between Tiller's camelCased messages and the OpenAI chat-completions wire shape.
import type {
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ChatMessage, ToolCall, ToolDefinition } from './types.js';

// Ids for calls a server sent without one, unique for the process so they never collide in history.
let generatedIds = 0;

export function newCallId(): string {
  return `call_tiller_${++generatedIds}`;
}

export function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content ?? '' };
      return {
        role: 'assistant',
        content: message.content,
        tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      };
    }
  }
}

export function toWireMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map(toWireMessage);
}

export function toWireTools(tools: readonly ToolDefinition[]): ChatCompletionTool[] {
  return tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
}

/** Tool calls from a non-streamed reply; custom (non-function) tool calls are not something Tiller offers. */
export function fromWireToolCalls(calls: readonly ChatCompletionMessageToolCall[] | undefined): ToolCall[] {
  const out: ToolCall[] = [];
  for (const call of calls ?? []) {
    // Servers we do not control may omit ids or send null arguments.
    if (call.type === 'function' || (call as { type?: unknown }).type === undefined) {
      const fn = (call as ChatCompletionMessageFunctionToolCall).function;
      out.push({ id: call.id || newCallId(), name: fn?.name ?? '', arguments: fn?.arguments ?? '' });
    }
  }
  return out;
}

