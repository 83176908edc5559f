// Where commands, agents and skills come from, lowest precedence first: the user's own folder under $TILLER_HOME,
// then the project's files in the formats other tools use (`.github/`, then `.claude/`), then `.tiller/`. A later
// source replaces an earlier one with the same name, and the one replaced is reported as shadowed.
import { join, relative } from 'node:path';
import type { WorkflowProblem } from './files.js';

/** `user`: $TILLER_HOME; `project`: `.github/` or `.claude/` in the workspace; `tiller`: `.tiller/` in the workspace. */
export type WorkflowOrigin = 'user' | 'project' | 'tiller';

export interface WorkflowSource {
  origin: WorkflowOrigin;
  /** The folder reads are confined to (symlinks out of it are refused). */
  base: string;
  /** The folder holding the files. */
  dir: string;
  /** How a file in this folder is recognised and named. */
  format: WorkflowFormat;
}

/** Which tool's convention a folder follows: it decides the file suffix and how a name is made from the path. */
export type WorkflowFormat =
  | 'claude-command' // .claude/commands/**/*.md, sub-folders give `ns:name`
  | 'prompt-file' // .github/prompts/*.prompt.md
  | 'tiller-command' // .tiller/commands/**/*.md (and $TILLER_HOME/commands), as Claude's
  | 'claude-agent' // .claude/agents/*.md
  | 'github-agent' // .github/agents/*.agent.md
  | 'chat-mode' // .github/chatmodes/*.chatmode.md
  | 'tiller-agent' // .tiller/agents/*.md (and $TILLER_HOME/agents), as Claude's
  | 'skill'; // <dir>/<name>/SKILL.md

export interface WorkflowRoots {
  workspaceRoot: string;
  /** $TILLER_HOME; user workflows are left out when omitted. */
  tillerHome?: string;
}

export function commandSources(roots: WorkflowRoots): WorkflowSource[] {
  const w = roots.workspaceRoot;
  return [
    ...(roots.tillerHome
      ? [{ origin: 'user' as const, base: roots.tillerHome, dir: join(roots.tillerHome, 'commands'), format: 'tiller-command' as const }]
      : []),
    { origin: 'project', base: w, dir: join(w, '.github', 'prompts'), format: 'prompt-file' },
    { origin: 'project', base: w, dir: join(w, '.claude', 'commands'), format: 'claude-command' },
    { origin: 'tiller', base: w, dir: join(w, '.tiller', 'commands'), format: 'tiller-command' },
  ];
}

export function agentSources(roots: WorkflowRoots): WorkflowSource[] {
  const w = roots.workspaceRoot;
  return [
    ...(roots.tillerHome ? [{ origin: 'user' as const, base: roots.tillerHome, dir: join(roots.tillerHome, 'agents'), format: 'tiller-agent' as const }] : []),
    { origin: 'project', base: w, dir: join(w, '.github', 'chatmodes'), format: 'chat-mode' },
    { origin: 'project', base: w, dir: join(w, '.github', 'agents'), format: 'github-agent' },
    { origin: 'project', base: w, dir: join(w, '.claude', 'agents'), format: 'claude-agent' },
    { origin: 'tiller', base: w, dir: join(w, '.tiller', 'agents'), format: 'tiller-agent' },
  ];
}

export function skillSources(roots: WorkflowRoots): WorkflowSource[] {
  const w = roots.workspaceRoot;
  return [
    ...(roots.tillerHome ? [{ origin: 'user' as const, base: roots.tillerHome, dir: join(roots.tillerHome, 'skills'), format: 'skill' as const }] : []),
    { origin: 'project', base: w, dir: join(w, '.github', 'skills'), format: 'skill' },
    { origin: 'project', base: w, dir: join(w, '.claude', 'skills'), format: 'skill' },
    { origin: 'tiller', base: w, dir: join(w, '.tiller', 'skills'), format: 'skill' },
  ];
}

/** How the inspector and listings say where a workflow came from. */
export function describeOrigin(origin: WorkflowOrigin): string {
  return origin === 'user' ? 'your own (under $TILLER_HOME)' : 'from the repository';
}

/**
 * Keeps the last of each name (sources are iterated lowest precedence first); each one it replaces becomes a warning
 * that names what shadows it, so a user who wonders why their file does nothing is told.
 */
export function keepByPrecedence<T extends { name: string; path: string; source: string }>(
  items: T[],
  label: (item: T) => string,
  problems: WorkflowProblem[],
): T[] {
  const map = new Map<string, T>();
  for (const item of items) {
    const earlier = map.get(item.name);
    if (earlier)
      problems.push({
        file: earlier.path,
        line: 1,
        message: `${label(earlier)} is shadowed by ${item.source} (precedence: user < .github/.claude < .tiller)`,
        severity: 'warning',
      });
    map.set(item.name, item);
  }
  return [...map.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** How a workflow file is named to the user: workspace-relative for project files, `$TILLER_HOME/...` for theirs. */
export function displaySource(path: string, origin: WorkflowOrigin, roots: WorkflowRoots): string {
  if (origin === 'user' && roots.tillerHome) return `$TILLER_HOME/${relative(roots.tillerHome, path).split('\\').join('/')}`;
  return relative(roots.workspaceRoot, path).split('\\').join('/');
}
