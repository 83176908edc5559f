// Tool results in the MCP shape. Failures are results with isError (not protocol errors) so the model reads
// the reason and can correct itself.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export function textResult(text: string, structuredContent?: Record<string, unknown>): CallToolResult {
  return structuredContent === undefined ? { content: [{ type: 'text', text }] } : { content: [{ type: 'text', text }], structuredContent };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Runs a tool body and turns any thrown error into an error result with its message. */
export async function guarded(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return errorResult(error instanceof Error ? error.message : String(error));
  }
}
