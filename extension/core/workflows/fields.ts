// Front-matter fields shared by commands, agents and skills, read as the tools that defined them write them, with a
// problem (file and line) for a value that cannot mean anything here. A field that cannot be understood is left out,
// which for a tool list means fewer tools, never more.
import type { ModelRole } from '../model/types.js';
import { builtinToolsForAlias } from '../model/builtin-tools.js';
import type { ToolFilter } from '../agent/profile.js';
import { keyLine } from './front-matter.js';
import type { WorkflowProblem } from './files.js';

/** The models a `model:` field may name: the two roles, or a model the user configured (its name picks its role). */
export interface ConfiguredModels {
  large?: string;
  small?: string;
}

export interface FieldContext {
  file: string;
  text: string;
  data: Record<string, unknown>;
  problems: WorkflowProblem[];
}

export function warn(ctx: FieldContext, key: string, message: string): void {
  ctx.problems.push({ file: ctx.file, line: keyLine(ctx.text, key), message, severity: 'warning' });
}

/** A string field (first of `keys` present); a number or boolean is taken as its text, anything else is reported. */
export function stringField(ctx: FieldContext, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = ctx.data[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') return v.trim();
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    warn(ctx, key, `${key} must be text; ignored`);
    return undefined;
  }
  return undefined;
}

/** `model:` as a role: `large`, `small`, or the name of a configured model. Anything else is reported and ignored. */
export function modelRole(ctx: FieldContext, models: ConfiguredModels | undefined): ModelRole | undefined {
  const value = stringField(ctx, 'model');
  if (!value || value === 'inherit') return undefined;
  if (value === 'large' || value === 'small') return value;
  if (models?.large && value === models.large) return 'large';
  if (models?.small && value === models.small) return 'small';
  const known = ['large', 'small', ...(models?.large ? [models.large] : []), ...(models?.small && models.small !== models.large ? [models.small] : [])];
  warn(ctx, 'model', `model ${JSON.stringify(value)} is not one Tiller is configured with (use ${known.join(', ')}); ignored, the default model is used`);
  return undefined;
}

/**
 * VS Code's tool-set names for the built-in tools, as prompt files, agents and chat modes write them, translated to
 * the Claude alias that means the same tool here. Other VS Code tools (fetch, githubRepo, ...) have no equivalent.
 */
const VSCODE_TOOL_SETS: Record<string, readonly string[]> = {
  codebase: ['Read', 'LS', 'Glob', 'Grep'],
  search: ['Read', 'LS', 'Glob', 'Grep'],
  read: ['Read', 'LS'],
  readFile: ['Read'],
  listDirectory: ['LS'],
  fileSearch: ['Glob'],
  textSearch: ['Grep'],
  edit: ['Edit'],
  editFiles: ['Edit'],
  createFile: ['Write'],
  runCommands: ['Bash'],
  runInTerminal: ['Bash'],
  terminal: ['Bash'],
};

/**
 * `tools:` / `allowed-tools:` as a filter: a comma-separated string (Claude) or a list (VS Code). Names may be Claude
 * aliases (`Read`, `Bash(git status:*)` -- the argument pattern is not enforced, only the tool kept), Tiller's
 * `server.tool`, `mcp__server__tool` / `mcp__server`, or VS Code's tool sets. Names not understood are reported and
 * left out. Undefined when the file gives no list (no restriction); a list of only unknown names keeps no tool.
 */
export function toolFilter(ctx: FieldContext, ...keys: string[]): ToolFilter | undefined {
  const key = keys.find((k) => ctx.data[k] !== undefined && ctx.data[k] !== null);
  if (!key) return undefined;
  const raw = ctx.data[key];
  let entries: string[];
  if (typeof raw === 'string') entries = raw.split(/,(?![^(]*\))/);
  else if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) entries = raw as string[];
  else {
    warn(ctx, key, `${key} must be a comma-separated list or a list of tool names; no tools are kept`);
    return { names: [], servers: [] };
  }
  const names = new Set<string>();
  const servers = new Set<string>();
  const unknown: string[] = [];
  for (const entry of entries.map((e) => e.trim()).filter(Boolean)) {
    const resolved = resolveToolName(entry);
    if (!resolved) unknown.push(entry);
    else if ('server' in resolved) servers.add(resolved.server);
    else for (const n of resolved.names) names.add(n);
  }
  if (unknown.length)
    warn(ctx, key, `${key}: ${unknown.map((u) => JSON.stringify(u)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a tool Tiller knows; left out`);
  return { names: [...names], servers: [...servers] };
}

function resolveToolName(entry: string): { names: string[] } | { server: string } | undefined {
  const alias = entry.replace(/\(.*\)$/, '').trim();
  const builtin = builtinToolsForAlias(alias);
  if (builtin.length) return { names: builtin.map((t) => t.name) };
  const set = VSCODE_TOOL_SETS[alias];
  if (set) return { names: set.flatMap((a) => builtinToolsForAlias(a).map((t) => t.name)) };
  const mcp = /^mcp__([A-Za-z0-9_-]+?)(?:__([A-Za-z0-9_.-]+))?$/.exec(alias);
  if (mcp) return mcp[2] ? { names: [`${mcp[1]}.${mcp[2]}`] } : { server: mcp[1]! };
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/.test(alias)) return { names: [alias] };
  return undefined;
}
