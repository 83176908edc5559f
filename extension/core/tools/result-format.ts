// Turns an MCP tool result into what the model reads: text content joined, other content summarised by kind
// and size (the model cannot use raw base64 and it would waste the context). Images are also handed on as they
// came, so the loop can show them to the model as image parts (agent/tool-images.ts).
import type { ToolCallResult } from './types.js';

type Content = { type: string; [key: string]: unknown };

function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function summarise(item: Content): string {
  switch (item.type) {
    case 'text':
      return String(item.text ?? '');
    case 'image':
    case 'audio':
      return `[${item.type}: ${String(item.mimeType ?? 'unknown type')}, ${base64Bytes(item.data)} bytes]`;
    case 'resource_link':
      return `[resource link: ${String(item.uri ?? '')}]`;
    case 'resource': {
      const resource = (item.resource ?? {}) as Record<string, unknown>;
      if (typeof resource.text === 'string') return resource.text;
      return `[resource: ${String(resource.uri ?? '')}, ${String(resource.mimeType ?? 'unknown type')}, ${base64Bytes(resource.blob)} bytes]`;
    }
    default:
      return `[${item.type} content]`;
  }
}

function isImage(item: Content): item is Content & { mimeType: string; data: string } {
  return item.type === 'image' && typeof item.data === 'string' && typeof item.mimeType === 'string';
}

export function formatCallResult(result: { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown }): ToolCallResult {
  const items = Array.isArray(result.content) ? (result.content as Content[]) : [];
  let content = items.map(summarise).join('\n');
  const images = items.filter(isImage).map((item) => ({ mimeType: item.mimeType, data: item.data }));
  const structured =
    result.structuredContent !== null && typeof result.structuredContent === 'object' && !Array.isArray(result.structuredContent)
      ? (result.structuredContent as Record<string, unknown>)
      : undefined;
  if (content === '' && structured !== undefined) content = JSON.stringify(structured);
  if (content === '' && result.toolResult !== undefined) content = JSON.stringify(result.toolResult);
  return { content, isError: result.isError === true, ...(structured !== undefined ? { structured } : {}), ...(images.length ? { images } : {}) };
}
