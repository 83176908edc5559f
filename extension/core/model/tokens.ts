// Token estimates for when a provider reports no usage, and for pricing a call before it is made. Four characters
// per token is the usual rule of thumb for English and code with BPE tokenizers; it is deliberately simple, and
// usage figures produced from it are marked `estimated`.
import type { ChatMessage } from './types.js';

const CHARS_PER_TOKEN = 4;
/** Role markers and separators each message costs in the chat template. */
const PER_MESSAGE_OVERHEAD = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) {
    total += PER_MESSAGE_OVERHEAD + estimateTokens(message.content ?? '');
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) total += estimateTokens(call.name) + estimateTokens(call.arguments);
    }
  }
  return total;
}
