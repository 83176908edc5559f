// What a tool call would do, in the permission engine's terms. The built-in servers' tools are understood
// precisely (a read is a read of that path, a command is that command) from their row in model/builtin-tools.ts;
// any other MCP tool is `mcp(server.tool)`. This mapping is what makes a `deny read(.env)` bind on the read tool and
// the shell alike.
import { builtinTool, BUILTIN_TOOLS, EDIT_TOOL } from '../model/builtin-tools.js';
import type { PolicyAction } from '../policy/types.js';

export function actionsForToolCall(tool: string, args: Record<string, unknown>): PolicyAction[] {
  const row = builtinTool(tool);
  switch (row?.access.kind) {
    case 'read':
      return [{ kind: 'read', path: str(args.path, '.') }];
    case 'scan':
      return [{ kind: 'read', path: '.' }];
    case 'edit': {
      // Staging an edit writes nothing, but it reads each file it spans; the writes are decided on the staged change set.
      const more = Array.isArray(args.also) ? (args.also as unknown[]).map((f) => str((f as { path?: unknown } | null)?.path, '.')) : [];
      return [str(args.path, '.'), ...more].map((path) => ({ kind: 'read', path }));
    }
    case 'shell': {
      // The working directory is part of what the command does (`cat secret.txt` in `config`): decided and shown with it.
      const cwd = args.cwd === undefined ? undefined : typeof args.cwd === 'string' ? args.cwd : String(args.cwd);
      return [{ kind: 'shell', command: str(args.command, ''), ...(cwd !== undefined && cwd !== '' ? { cwd } : {}) }];
    }
    case undefined:
      return [{ kind: 'mcp', tool }];
  }
}

/** Tools whose results list file contents or names across the workspace and must be filtered by read rules. */
export const WORKSPACE_SCAN_TOOLS: ReadonlySet<string> = new Set(BUILTIN_TOOLS.filter((t) => t.access.kind === 'scan').map((t) => t.name));

/** The read-only subset of the built-in tools: what plan mode and the explorer subagent may use. */
export const READ_ONLY_TOOLS: ReadonlySet<string> = new Set(BUILTIN_TOOLS.filter((t) => t.readOnly).map((t) => t.name));

export function isEditProposal(tool: string): boolean {
  return tool === EDIT_TOOL;
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}
