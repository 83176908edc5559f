// What a custom agent, a slash command or a skill may change about a run, as the loop sees it. The files they come
// from are parsed in core/workflows; here is only the shape, so the loop stays below the parsers. Everything here can
// only narrow: a tool filter removes tools from what the mode offers (and the gate refuses what is not offered), a
// prompt adds instructions to Tiller's own, a role picks one of the configured models. None grants a permission.
import type { ModelRole } from '../model/types.js';

/** Tools kept: namespaced `server.tool` names, and whole servers (`mcp__server` in Claude's notation). */
export interface ToolFilter {
  names: readonly string[];
  servers: readonly string[];
}

export function toolAllowed(filter: ToolFilter | undefined, name: string): boolean {
  if (!filter) return true;
  if (filter.names.includes(name)) return true;
  const dot = name.indexOf('.');
  return dot > 0 && filter.servers.includes(name.slice(0, dot));
}

/** Both filters at once: a tool must pass each (a command's list inside an agent's). */
export function intersectFilters(a: ToolFilter | undefined, b: ToolFilter | undefined): ToolFilter | undefined {
  if (!a) return b;
  if (!b) return a;
  const names = new Set<string>();
  for (const n of [...a.names, ...b.names]) if (toolAllowed(a, n) && toolAllowed(b, n)) names.add(n);
  const servers = a.servers.filter((s) => b.servers.includes(s));
  return { names: [...names], servers };
}

/** A custom agent: its instructions (the file's body), where they came from, and what it narrows. */
export interface AgentProfile {
  name: string;
  description: string;
  /** The body of the agent file: instructions added after Tiller's system prompt. */
  prompt: string;
  /** Where it was read, as shown to the user (workspace-relative for project files). */
  source: string;
  /** `project`/`tiller`: the repository's text; `user`: the user's own. */
  origin: 'user' | 'project' | 'tiller';
  tools?: ToolFilter;
  role?: ModelRole;
}

/** A skill the model may load: only name and description are in the prompt until it does. */
export interface SkillSummary {
  name: string;
  description: string;
  source: string;
  origin: 'user' | 'project' | 'tiller';
}

/**
 * Where the loop finds skills' files. `locate` names the absolute path to read (the policy decides on it before
 * `read` is called); a name or file that is not part of a skill is an error string.
 */
export interface SkillLibrary {
  list(): SkillSummary[];
  locate(name: string, file?: string): { path: string; skill: SkillSummary } | { error: string };
  read(path: string): { text: string } | { error: string };
}
