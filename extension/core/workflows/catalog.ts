// Everything a workspace brings of commands, agents and skills, read once per task (the files may change between
// tasks), with every problem found on the way for the CLI's warnings and VS Code's Problems view.
import { loadCommands, type SlashCommand } from './commands.js';
import { loadAgents, type CustomAgent } from './agents.js';
import { loadSkills, type Skill } from './skills.js';
import { isBuiltinCommand } from './slash.js';
import type { WorkflowProblem } from './files.js';
import type { WorkflowRoots } from './sources.js';
import type { ConfiguredModels } from './fields.js';

export interface WorkflowCatalog {
  commands: SlashCommand[];
  agents: CustomAgent[];
  skills: Skill[];
  problems: WorkflowProblem[];
}

export function loadWorkflows(roots: WorkflowRoots, models?: ConfiguredModels): WorkflowCatalog {
  const c = loadCommands(roots, models);
  const a = loadAgents(roots, models);
  const s = loadSkills(roots);
  const problems = [...c.problems, ...a.problems, ...s.problems];
  const commands = c.commands.filter((cmd) => {
    if (!isBuiltinCommand(cmd.name)) return true;
    problems.push({ file: cmd.path, line: 1, message: `the command /${cmd.name} is shadowed by Tiller's built-in /${cmd.name}`, severity: 'warning' });
    return false;
  });
  return { commands, agents: a.agents, skills: s.skills, problems };
}

/** One line per problem, `file:line: message`, as the CLI prints them. */
export function formatProblem(p: WorkflowProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}
