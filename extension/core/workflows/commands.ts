// Slash commands from the files teams already have: Claude Code's `.claude/commands/**/*.md` (a sub-folder gives a
// namespaced name, `frontend/test.md` -> `/frontend:test`), VS Code's `.github/prompts/*.prompt.md`, Tiller's own
// `.tiller/commands/**/*.md` and the user's `$TILLER_HOME/commands/`. The body is the prompt; the front matter may
// describe it, restrict its tools, pick a model role and a mode or agent. Text only: a command grants nothing.
import type { ModelRole } from '../model/types.js';
import type { ToolFilter } from '../agent/profile.js';
import { readWorkflowDocument } from './document.js';
import { listFiles, type WorkflowProblem } from './files.js';
import { commandSources, displaySource, keepByPrecedence, type WorkflowOrigin, type WorkflowRoots, type WorkflowSource } from './sources.js';
import { modelRole, stringField, toolFilter, warn, type ConfiguredModels, type FieldContext } from './fields.js';

export interface SlashCommand {
  /** Typed after `/`: `review`, `frontend:test`. */
  name: string;
  description: string;
  argumentHint?: string;
  /** The prompt, with `$ARGUMENTS`, `$1`..`$9` and `${input:name}` still in it. */
  body: string;
  /** Absolute path of the file. */
  path: string;
  /** For display: workspace-relative for project files, `~tiller/...` for the user's. */
  source: string;
  origin: WorkflowOrigin;
  role?: ModelRole;
  tools?: ToolFilter;
  /** `plan` or `act`, from `mode:`/`agent:` naming VS Code's built-in modes. */
  mode?: 'plan' | 'act';
  /** A custom agent to run the command as, from `agent:` naming one. */
  agent?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function loadCommands(roots: WorkflowRoots, models?: ConfiguredModels): { commands: SlashCommand[]; problems: WorkflowProblem[] } {
  const problems: WorkflowProblem[] = [];
  const found: SlashCommand[] = [];
  for (const source of commandSources(roots)) {
    const suffix = source.format === 'prompt-file' ? '.prompt.md' : '.md';
    for (const rel of listFiles(source.dir, (n) => n.endsWith(suffix), source.format !== 'prompt-file')) {
      const command = readCommand(source, rel, suffix, roots, models, problems);
      if (command) found.push(command);
    }
  }
  return { commands: keepByPrecedence(found, (item) => `the command /${item.name}`, problems), problems };
}

function readCommand(
  source: WorkflowSource,
  rel: string,
  suffix: string,
  roots: WorkflowRoots,
  models: ConfiguredModels | undefined,
  problems: WorkflowProblem[],
): SlashCommand | undefined {
  const path = `${source.dir}/${rel}`;
  const doc = readWorkflowDocument(source.base, path, 'command', problems);
  if (!doc) return undefined;
  const { ctx } = doc;
  const segments = rel.slice(0, -suffix.length).split('/');
  // A prompt file may name itself (`name:`); Claude's and Tiller's commands are named by their path.
  const named = source.format === 'prompt-file' ? stringField(ctx, 'name') : undefined;
  const name = named ?? segments.join(':');
  if (!name.split(':').every((s) => NAME.test(s))) {
    problems.push({
      file: path,
      line: 1,
      message: `${JSON.stringify(name)} is not a usable command name (letters, digits, - _ . only); not loaded`,
      severity: 'error',
    });
    return undefined;
  }
  const body = doc.body.trim();
  if (!body) {
    problems.push({ file: path, line: doc.bodyLine, message: 'the command has no prompt (its body is empty); not loaded', severity: 'error' });
    return undefined;
  }
  const description = stringField(ctx, 'description') ?? firstLine(body);
  const argumentHint = stringField(ctx, 'argument-hint', 'argumentHint');
  const role = modelRole(ctx, models);
  const tools = toolFilter(ctx, 'allowed-tools', 'tools');
  const { mode, agent } = modeOrAgent(ctx);
  return {
    name,
    description,
    ...(argumentHint ? { argumentHint } : {}),
    body,
    path,
    source: displaySource(path, source.origin, roots),
    origin: source.origin,
    ...(role ? { role } : {}),
    ...(tools ? { tools } : {}),
    ...(mode ? { mode } : {}),
    ...(agent ? { agent } : {}),
  };
}

/**
 * `mode:` (VS Code's older key) or `agent:` (its newer one): `ask` and `plan` are read-only here (plan mode), `agent`
 * and `edit` act; any other value names a custom agent, checked when the command runs.
 */
function modeOrAgent(ctx: FieldContext): { mode?: 'plan' | 'act'; agent?: string } {
  const value = stringField(ctx, 'agent', 'mode');
  if (!value) return {};
  const v = value.toLowerCase();
  if (v === 'ask' || v === 'plan') return { mode: 'plan' };
  if (v === 'agent' || v === 'edit' || v === 'act') return { mode: 'act' };
  if (!NAME.test(value)) {
    warn(
      ctx,
      ctx.data.agent !== undefined ? 'agent' : 'mode',
      `${JSON.stringify(value)} is neither a mode (ask, edit, agent, plan) nor an agent name; ignored`,
    );
    return {};
  }
  return { agent: value };
}

function firstLine(body: string): string {
  const line = body.split('\n').find((l) => l.trim()) ?? '';
  return line
    .replace(/^#+\s*/, '')
    .trim()
    .slice(0, 100);
}
