// The schema of a conversation message, for the places that read one back from disk (a resumed session): what was
// written by an older or crashed Tiller, or edited by hand, is checked before it reaches a model request.
import { z } from 'zod';
import type { ChatMessage } from './types.js';

const toolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

export const chatMessageSchema: z.ZodType<ChatMessage> = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({ role: z.literal('assistant'), content: z.string().nullable(), toolCalls: z.array(toolCall).optional() }),
  z.object({ role: z.literal('tool'), toolCallId: z.string(), content: z.string() }),
]);
