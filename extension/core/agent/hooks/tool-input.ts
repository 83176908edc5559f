// What a hook is told about a tool call, in Claude Code's terms: the alias it would use (`Bash`, `Read`, `Edit`,
// `Write`, `Grep`, `Glob`, `LS`, or `mcp__server__tool`) and `tool_input` in Claude's shape for the tools it knows
// (`command`; `file_path`; `old_string`/`new_string`; `pattern`/`path`). Tiller's own arguments travel beside it under
// `tiller_input`, so a hook written for Tiller loses nothing. Matchers are tested against every name the call has.
import { isAbsolute, join } from 'node:path';
import { builtinTool } from '../../model/builtin-tools.js';

/** Claude's name for an MCP tool: `mcp__server__tool` (Tiller's `server.tool`, first dot split). */
export function mcpAlias(tool: string): string {
  const dot = tool.indexOf('.');
  return dot < 0 ? `mcp__${tool}` : `mcp__${tool.slice(0, dot)}__${tool.slice(dot + 1)}`;
}

type Args = Record<string, unknown>;

function isEditWithContent(args: Args): boolean {
  return typeof args.content === 'string' && !Array.isArray(args.edits);
}

/** The alias a hook is told in `tool_name`: for the edit tool, `Write` for whole content and `Edit` otherwise. */
export function claudeToolName(tool: string, args: Args): string {
  const row = builtinTool(tool);
  if (!row) return mcpAlias(tool);
  if (row.access.kind === 'edit') return isEditWithContent(args) ? 'Write' : 'Edit';
  return row.claudeAliases[0]!;
}

/** Every name a matcher is tested against: Claude's aliases of the tool, Tiller's `server.tool`, `mcp__server__tool`. */
export function matchableNames(tool: string, args: Args): string[] {
  const row = builtinTool(tool);
  const names = new Set<string>([claudeToolName(tool, args), ...(row?.claudeAliases ?? []), tool]);
  if (!row) names.add(mcpAlias(tool));
  return [...names];
}

/** True when the matcher (a regex over the whole name; empty or `*` for all) covers one of the names. */
export function matcherCovers(matcher: string, names: readonly string[]): boolean {
  if (matcher === '' || matcher === '*') return true;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${matcher})$`);
  } catch {
    return false; // reported when loaded; never reached for a loaded hook
  }
  return names.some((n) => re.test(n));
}

const abs = (root: string, p: unknown) => (typeof p !== 'string' ? root : isAbsolute(p) ? p : join(root, p));

/** `tool_input` as Claude Code would send it for this call. Unknown tools get their arguments unchanged. */
export function claudeToolInput(tool: string, args: Args, workspaceRoot: string): Args {
  const row = builtinTool(tool);
  if (!row) return { ...args };
  switch (row.access.kind) {
    case 'shell':
      return {
        command: args.command,
        ...(typeof args.cwd === 'string' ? { cwd: abs(workspaceRoot, args.cwd) } : {}),
        ...(typeof args.description === 'string' ? { description: args.description } : {}),
      };
    case 'read':
      return row.claudeAliases[0] === 'LS'
        ? { path: abs(workspaceRoot, args.path) }
        : {
            file_path: abs(workspaceRoot, args.path),
            ...(typeof args.startLine === 'number' ? { offset: args.startLine } : {}),
            ...(typeof args.endLine === 'number' && typeof args.startLine === 'number' ? { limit: args.endLine - args.startLine + 1 } : {}),
          };
    case 'scan':
      return row.claudeAliases[0] === 'Grep'
        ? { pattern: args.query, path: workspaceRoot, ...(typeof args.glob === 'string' ? { glob: args.glob } : {}) }
        : { pattern: args.pattern, path: workspaceRoot };
    case 'edit': {
      const file_path = abs(workspaceRoot, args.path);
      if (isEditWithContent(args)) return { file_path, content: args.content };
      const edits = Array.isArray(args.edits) ? (args.edits as { search?: unknown; replace?: unknown }[]) : [];
      if (edits.length === 1) return { file_path, old_string: edits[0]!.search, new_string: edits[0]!.replace };
      return { file_path, edits: edits.map((e) => ({ old_string: e.search, new_string: e.replace })) };
    }
  }
}
