// The one table of Tiller's built-in tools. Every layer that treats a built-in tool specially (the permission gate,
// the result cache, plan mode and the explorer, the context's read tracking, the task record, hooks and custom
// agents' tool lists) asks this table instead of comparing names, so adding or renaming a tool is one row here.
//
// It lives in `model/` because it is plain data about names and arguments that layers as low as `memory/` read; the
// translation of `access` into policy actions is in agent/tool-actions.ts, above the policy layer.

/** What a call of the tool touches, in terms the permission engine turns into actions. */
export type BuiltinAccess =
  /** Reads the path in `args.path` (the workspace root when absent). */
  | { kind: 'read' }
  /** Lists file names or contents across the workspace: results are filtered by the read rules. */
  | { kind: 'scan' }
  /** Stages a change set (reads `path` and every `also[].path`); the writes are decided on the staged change. */
  | { kind: 'edit' }
  /** Runs `args.command` in `args.cwd`. */
  | { kind: 'shell' };

/** Claude Code's names for the equivalent tools: hook matchers and agent/command tool lists are written in them. */
export type ClaudeToolAlias = 'Read' | 'LS' | 'Glob' | 'Grep' | 'Edit' | 'Write' | 'MultiEdit' | 'Bash';

export interface BuiltinTool {
  /** Namespaced `server.tool`, as policy rules and traces write it. */
  name: string;
  server: 'workspace' | 'shell';
  access: BuiltinAccess;
  /** Changes nothing: allowed in plan mode and to the read-only explorer. */
  readOnly: boolean;
  /** Read-only and idempotent: its result may be reused within a task until something else runs. */
  cacheable: boolean;
  /** Claude Code's aliases that mean this tool (first is the one hooks are told). */
  claudeAliases: readonly ClaudeToolAlias[];
}

export const BUILTIN_TOOLS: readonly BuiltinTool[] = [
  { name: 'workspace.read_file', server: 'workspace', access: { kind: 'read' }, readOnly: true, cacheable: true, claudeAliases: ['Read'] },
  { name: 'workspace.list_dir', server: 'workspace', access: { kind: 'read' }, readOnly: true, cacheable: true, claudeAliases: ['LS'] },
  { name: 'workspace.find_files', server: 'workspace', access: { kind: 'scan' }, readOnly: true, cacheable: true, claudeAliases: ['Glob'] },
  { name: 'workspace.search_text', server: 'workspace', access: { kind: 'scan' }, readOnly: true, cacheable: true, claudeAliases: ['Grep'] },
  {
    name: 'workspace.propose_edit',
    server: 'workspace',
    access: { kind: 'edit' },
    readOnly: false,
    cacheable: false,
    claudeAliases: ['Edit', 'Write', 'MultiEdit'],
  },
  { name: 'shell.run_command', server: 'shell', access: { kind: 'shell' }, readOnly: false, cacheable: false, claudeAliases: ['Bash'] },
];

const BY_NAME = new Map(BUILTIN_TOOLS.map((t) => [t.name, t]));

/** The row for a namespaced name, when it is a built-in tool. */
export function builtinTool(name: string): BuiltinTool | undefined {
  return BY_NAME.get(name);
}

/** Built-in tools whose access is of the given kind. */
export function builtinToolsOfKind(kind: BuiltinAccess['kind']): BuiltinTool[] {
  return BUILTIN_TOOLS.filter((t) => t.access.kind === kind);
}

/** The built-in tools a Claude alias names (`Edit` and `Write` both name the edit tool). */
export function builtinToolsForAlias(alias: string): BuiltinTool[] {
  return BUILTIN_TOOLS.filter((t) => (t.claudeAliases as readonly string[]).includes(alias));
}

/** The names of the shell tool and the edit tool, for the few places that must build or recognise a call of them. */
export const SHELL_TOOL = 'shell.run_command';
export const EDIT_TOOL = 'workspace.propose_edit';
export const READ_FILE_TOOL = 'workspace.read_file';
