// Conversion between Tiller's camelCased messages and the OpenAI chat-completions wire shape.
import type {
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import { readFileSync } from 'node:fs';
import { describeImage } from './image-store.js';
import type { ChatMessage, ImageAttachment, ToolCall, ToolDefinition } from './types.js';

/** How a user message's images go out: as `image_url` parts, or as a text description for a model that takes none. */
export type ImageHandling = 'send' | 'describe';

// Ids for calls a server sent without one, unique for the process so they never collide in history.
let generatedIds = 0;

export function newCallId(): string {
  return `call_tiller_${++generatedIds}`;
}

export function toWireMessage(message: ChatMessage, images: ImageHandling = 'send'): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: message.role, content: message.content };
    case 'user': {
      const attached = message.images ?? [];
      if (attached.length === 0) return { role: 'user', content: message.content };
      if (images === 'describe') return { role: 'user', content: [message.content, ...attached.map(describeImage)].join('\n') };
      const parts: ChatCompletionContentPart[] = [{ type: 'text', text: message.content }];
      for (const image of attached) parts.push(imagePart(image));
      return { role: 'user', content: parts };
    }
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

export function toWireMessages(messages: readonly ChatMessage[], images: ImageHandling = 'send'): ChatCompletionMessageParam[] {
  return messages.map((m) => toWireMessage(m, images));
}

/** Whether any message carries images (so a rejection of image input is worth recognising). */
export function hasImages(messages: readonly ChatMessage[]): boolean {
  return messages.some((m) => m.role === 'user' && (m.images?.length ?? 0) > 0);
}

/**
 * The stored file, read when the request is built (never kept inline in the history). A file that has gone from
 * the store since (a cleaned TILLER_HOME) is described rather than failing the whole request.
 */
function imagePart(image: ImageAttachment): ChatCompletionContentPart {
  let data: Buffer;
  try {
    data = readFileSync(image.path);
  } catch {
    return { type: 'text', text: `${describeImage(image).slice(0, -1)}; the stored copy is missing]` };
  }
  return { type: 'image_url', image_url: { url: `data:${image.mimeType};base64,${data.toString('base64')}` } };
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
