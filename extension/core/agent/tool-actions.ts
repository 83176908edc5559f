// What a tool call would do, in the permission engine's terms. The built-in servers' tools are understood
// precisely (a read is a read of that path, a command is that command); any other MCP tool is `mcp(server.tool)`.
// This mapping is what makes a `deny read(.env)` bind on the read tool and the shell alike.
import type { PolicyAction } from '../policy/types.js';

const READ_TOOLS: Record<string, (args: Record<string, unknown>) => string> = {
  'workspace.read_file': (a) => str(a.path, '.'),
  'workspace.list_dir': (a) => str(a.path, '.'),
  'workspace.find_files': () => '.',
  'workspace.search_text': () => '.',
  // Staging an edit writes nothing, but it reads the file; the write is decided on the staged change set.
  'workspace.propose_edit': (a) => str(a.path, '.'),
};

export function actionsForToolCall(tool: string, args: Record<string, unknown>): PolicyAction[] {
  // A change spanning several files reads each of them (the writes are decided on the staged change set).
  if (isEditProposal(tool) && Array.isArray(args.also)) {
    const more = (args.also as unknown[]).map((f) => str((f as { path?: unknown } | null)?.path, '.'));
    return [str(args.path, '.'), ...more].map((path) => ({ kind: 'read', path }));
  }
  const read = READ_TOOLS[tool];
  if (read) return [{ kind: 'read', path: read(args) }];
  // The working directory is part of what the command does (`cat secret.txt` in `config`): decided and shown with it.
  if (tool === 'shell.run_command') {
    const cwd = args.cwd === undefined ? undefined : typeof args.cwd === 'string' ? args.cwd : String(args.cwd);
    return [{ kind: 'shell', command: str(args.command, ''), ...(cwd !== undefined && cwd !== '' ? { cwd } : {}) }];
  }
  return [{ kind: 'mcp', tool }];
}

/** Tools whose results list file contents or names across the workspace and must be filtered by read rules. */
export const WORKSPACE_SCAN_TOOLS = new Set(['workspace.search_text', 'workspace.find_files']);

/** The read-only subset of the built-in tools: what plan mode and the explorer subagent may use. */
export const READ_ONLY_TOOLS = new Set(['workspace.read_file', 'workspace.list_dir', 'workspace.find_files', 'workspace.search_text']);

export function isEditProposal(tool: string): boolean {
  return tool === 'workspace.propose_edit';
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}
