// Mention sources that belong to the host of a task rather than to the file system: `@mcp:server:uri` reads the
// resource through the task's own MCP host (so only configured, consented servers answer), and the editor supplies
// what only it knows (`@problems`, `@terminal`). Resource text is data for the model like any tool result.
import type { MentionResult, MentionSources } from '../ports.js';

export interface ResourceReader {
  readResource(server: string, uri: string): Promise<({ uri: string; mimeType?: string } & ({ text: string } | { blob: string }))[]>;
}

/** What an editor can add: each source replaces the file-system one (which can only say it is unavailable). */
export type EditorMentions = Partial<Pick<MentionSources, 'problems' | 'terminal'>>;

const MAX_RESOURCE_CHARS = 40_000;

export function withHostMentions(base: MentionSources, resources: ResourceReader | undefined, editor: EditorMentions = {}): MentionSources {
  return {
    ...base,
    ...editor,
    mcpResource: resources ? (server, uri) => readResourceMention(resources, server, uri) : base.mcpResource,
  };
}

async function readResourceMention(reader: ResourceReader, server: string, uri: string): Promise<MentionResult> {
  let contents;
  try {
    contents = await reader.readResource(server, uri);
  } catch (err) {
    return `MCP resource ${uri} from ${server} could not be read: ${(err as Error).message}`;
  }
  if (contents.length === 0) return `MCP resource ${uri} from ${server} is empty`;
  const parts = contents.map((c) => ('text' in c ? c.text : `[binary ${c.mimeType ?? 'data'}, ${Math.floor((c.blob.length * 3) / 4)} bytes, not shown]`));
  let text = parts.join('\n');
  if (text.length > MAX_RESOURCE_CHARS) text = `${text.slice(0, MAX_RESOURCE_CHARS)}\n[... ${text.length - MAX_RESOURCE_CHARS} more characters cut]`;
  return { text, reason: `MCP resource ${uri} from ${server}, attached by the user` };
}
