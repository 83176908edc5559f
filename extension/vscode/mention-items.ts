// Mention completion that needs no VS Code API (so it is testable in plain Node).
import type { MentionItem } from '../protocol/messages.js';

/** MCP resources whose `mcp:server:uri` or name contains the query, as `@mcp:server:uri` (the harness reads it). */
export function resourceItems(query: string, resources: readonly { server: string; uri: string; name: string }[]): MentionItem[] {
  return resources
    .filter((r) => !/\s/.test(r.uri) && (`mcp:${r.server}:${r.uri}`.toLowerCase().includes(query) || r.name.toLowerCase().includes(query)))
    .slice(0, 10)
    .map((r) => ({ value: `mcp:${r.server}:${r.uri}`, kind: 'resource' as const, detail: `${r.name} (MCP resource from ${r.server})` }));
}
