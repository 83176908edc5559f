// Images an MCP tool returned reach the model as image parts of one user message after the tool results: OpenAI
// tool messages carry text only. Each image is checked and stored like a pasted one (a hostile server's "image"
// that is not one, or is too large, is named in text and never sent); the history keeps only the reference.
import type { ChatMessage, ImageAttachment } from '../model/types.js';
import { ImageError, type ImageStore } from '../model/image-store.js';
import type { ToolImage } from '../tools/types.js';

/** A tool cannot flood the context with pictures: the rest are named, not shown. */
export const MAX_TOOL_IMAGES_PER_STEP = 8;

export interface ReturnedImage {
  tool: string;
  image: ToolImage;
}

export function toolImageMessage(returned: readonly ReturnedImage[], store: ImageStore | undefined): ChatMessage | undefined {
  if (returned.length === 0 || !store) return undefined;
  const images: ImageAttachment[] = [];
  const notes: string[] = [];
  returned.forEach(({ tool, image }, i) => {
    const name = `${tool} image ${i + 1}`;
    if (images.length >= MAX_TOOL_IMAGES_PER_STEP) {
      notes.push(`${name} was not attached: at most ${MAX_TOOL_IMAGES_PER_STEP} tool images are shown per step`);
      return;
    }
    try {
      images.push(store.storeBytes(Buffer.from(image.data, 'base64'), name));
    } catch (err) {
      if (!(err instanceof ImageError)) throw err;
      notes.push(`${name} (${image.mimeType.slice(0, 60)}) was not attached: ${err.message}`);
    }
  });
  const tools = [...new Set(returned.map((r) => r.tool))].join(', ');
  const text = [`The images returned by ${tools} in the tool results above:`, ...notes].join('\n');
  return images.length ? { role: 'user', content: text, origin: 'tool-image', images } : { role: 'user', content: text, origin: 'tool-image' };
}
