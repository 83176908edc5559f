// Token estimates for when a provider reports no usage, and for pricing a call before it is made. Four characters
// per token is the usual rule of thumb for English and code with BPE tokenizers; it is deliberately simple, and
// usage figures produced from it are marked `estimated`.
import type { ChatMessage, ImageAttachment } from './types.js';

const CHARS_PER_TOKEN = 4;
/** Role markers and separators each message costs in the chat template. */
const PER_MESSAGE_OVERHEAD = 4;

/** OpenAI's published rule for one image at high detail: a base cost plus a cost per 512 px tile. */
export const IMAGE_BASE_TOKENS = 85;
export const IMAGE_TILE_TOKENS = 170;
const IMAGE_TILE_PX = 512;
/** High detail first fits the image within 2048 x 2048, then scales its shorter side down to 768. */
const IMAGE_MAX_SIDE_PX = 2048;
const IMAGE_SHORT_SIDE_PX = 768;
/** When the size is unknown: the cost of a 1024 x 1024 image at high detail (4 tiles), a typical screenshot. */
export const IMAGE_UNKNOWN_SIZE_TOKENS = IMAGE_BASE_TOKENS + 4 * IMAGE_TILE_TOKENS;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Tokens one image costs by OpenAI's tile rule; other providers' rules are in the same range for screenshots. */
export function estimateImageTokens(image: Pick<ImageAttachment, 'width' | 'height'>): number {
  let { width, height } = image;
  if (width === undefined || height === undefined || width <= 0 || height <= 0) return IMAGE_UNKNOWN_SIZE_TOKENS;
  const fit = Math.min(1, IMAGE_MAX_SIDE_PX / Math.max(width, height));
  width *= fit;
  height *= fit;
  const shrink = Math.min(1, IMAGE_SHORT_SIDE_PX / Math.min(width, height));
  width *= shrink;
  height *= shrink;
  const tiles = Math.ceil(width / IMAGE_TILE_PX) * Math.ceil(height / IMAGE_TILE_PX);
  return IMAGE_BASE_TOKENS + IMAGE_TILE_TOKENS * tiles;
}

export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) {
    total += PER_MESSAGE_OVERHEAD + estimateTokens(message.content ?? '');
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) total += estimateTokens(call.name) + estimateTokens(call.arguments);
    }
    if (message.role === 'user') for (const image of message.images ?? []) total += estimateImageTokens(image);
  }
  return total;
}
