// The schema of a conversation message, for the places that read one back from disk (a resumed session): what was
// written by an older or crashed Tiller, or edited by hand, is checked before it reaches a model request.
import { z } from 'zod';
import type { ChatMessage } from './types.js';

const toolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
const origin = z.enum(['task', 'reply', 'plan-approved', 'resumed', 'task-record', 'summary', 'observation', 'hook', 'skill', 'tool-image']);
const image = z.object({
  path: z.string().min(1),
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
  bytes: z.number().int().nonnegative(),
  name: z.string(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});

export const chatMessageSchema: z.ZodType<ChatMessage> = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string(), origin: origin.optional(), images: z.array(image).optional() }),
  z.object({ role: z.literal('assistant'), content: z.string().nullable(), toolCalls: z.array(toolCall).optional() }),
  z.object({ role: z.literal('tool'), toolCallId: z.string(), content: z.string() }),
]);
