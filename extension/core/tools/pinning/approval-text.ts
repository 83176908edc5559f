// The words shown when a server's tool list needs approval: every description in full, hidden characters written
// out visibly, each flag listed under its tool, and for a changed tool the description approved before. Shared by
// the CLI and the VS Code dialog so both show the same thing.
import type { ApprovalRequest } from '../../ports.js';
import { showHidden } from '../descriptions.js';

type McpToolsRequest = Extract<ApprovalRequest, { kind: 'mcp_tools' }>;

export function mcpToolsHeadline(r: McpToolsRequest): string {
  const flagged = r.tools.filter((t) => t.flags.length > 0 || (t.schemaFlags?.length ?? 0) > 0).length;
  const what = r.changed ? 'changed or new tools' : 'tools';
  return `offer the MCP server ${r.server}'s ${what} to the model (${r.tools.length} tool${r.tools.length === 1 ? '' : 's'}${flagged ? `, ${flagged} flagged` : ''})`;
}

export function mcpToolsDetail(r: McpToolsRequest): string {
  const blocks = r.tools.map((t) => {
    const lines = [`- ${r.server}.${showHidden(t.name)}${t.status ? ` [${t.status}]` : ''}`];
    if (t.previousDescription !== undefined) lines.push(`  before: ${indent(showHidden(t.previousDescription))}`);
    lines.push(`  ${t.previousDescription !== undefined ? 'now:    ' : ''}${indent(showHidden(t.description) || '(no description)')}`);
    for (const f of t.flags) lines.push(`  ! at ${f.start}-${f.end}: ${showHidden(f.message)}`);
    for (const s of t.schemaFlags ?? []) {
      lines.push(`  input ${s.path}: ${indent(showHidden(s.text))}`);
      for (const f of s.flags) lines.push(`  ! at ${f.start}-${f.end}: ${showHidden(f.message)}`);
    }
    return lines.join('\n');
  });
  return blocks.join('\n');
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n    ');
}
