// From what the user typed to what runs: a `/command` expanded into its prompt (arguments and inputs substituted),
// with its mode, model role, tool restriction and agent; `--agent NAME` (or the mode picker) picking a custom agent;
// and the agents and skills the coordinator may use. A bad request (an unknown agent, a missing input, a chat-only
// built-in in a headless run) is an error naming what is wrong, before anything is sent.
import type { AgentProfile, ToolFilter } from '../agent/profile.js';
import type { AgentMode } from '../agent/types.js';
import type { ModelRole } from '../model/types.js';
import type { WorkflowCatalog } from './catalog.js';
import { resolveSlash } from './slash.js';
import { substitute, type InputRequest } from './substitute.js';
import type { WorkflowOrigin } from './sources.js';

export interface PreparedTask {
  task: string;
  mode?: AgentMode;
  role?: ModelRole;
  tools?: ToolFilter;
  agent?: AgentProfile;
  command?: { name: string; source: string; origin: WorkflowOrigin };
  /** Lines worth showing (which command was expanded from where). */
  notices: string[];
}

export class WorkflowRequestError extends Error {
  override name = 'WorkflowRequestError';
}

export interface PrepareOptions {
  agent?: string;
  inputs?: Readonly<Record<string, string>>;
  askInput?: (input: InputRequest & { command: string }) => Promise<string | undefined>;
  /** Where the built-ins that are views (/cost, /context, /clear, /compact) are, for the error a headless run gives. */
  builtinHint?: (name: string) => string;
}

export async function prepareTask(text: string, catalog: WorkflowCatalog, options: PrepareOptions = {}): Promise<PreparedTask> {
  const notices: string[] = [];
  let agent = options.agent !== undefined ? findAgent(catalog, options.agent) : undefined;
  const resolution = resolveSlash(text, catalog.commands);
  if (resolution.kind === 'plain') return { task: text, notices, ...(agent ? { agent } : {}) };
  if (resolution.kind === 'builtin') {
    if (resolution.name !== 'plan') {
      throw new WorkflowRequestError(options.builtinHint?.(resolution.name) ?? `/${resolution.name} is a chat command and does not start a task`);
    }
    if (!resolution.args) throw new WorkflowRequestError('/plan needs a task after it, e.g. /plan add a --verbose flag');
    return { task: resolution.args, mode: 'plan', notices, ...(agent ? { agent } : {}) };
  }
  const { command, args } = resolution;
  const inputs: Record<string, string> = { ...(options.inputs ?? {}) };
  let expanded = substitute(command.body, args, inputs);
  if (!expanded.ok && options.askInput) {
    for (const missing of expanded.missing) {
      const value = await options.askInput({ ...missing, command: command.name });
      if (value === undefined) throw new WorkflowRequestError(`/${command.name} was not run: no value was given for \${input:${missing.name}}`);
      inputs[missing.name] = value;
    }
    expanded = substitute(command.body, args, inputs);
  }
  if (!expanded.ok) {
    const names = expanded.missing.map((m) => m.name);
    throw new WorkflowRequestError(
      `/${command.name} (${command.source}) needs ${names.map((n) => `\${input:${n}}`).join(', ')}: give ${names.map((n) => `--input ${n}=VALUE`).join(' ')}`,
    );
  }
  if (command.agent) agent = findAgent(catalog, command.agent, `/${command.name} (${command.source})`);
  notices.push(`/${command.name}: the prompt of ${command.source}${command.origin === 'user' ? '' : ' (from the repository)'}`);
  return {
    task: expanded.text,
    notices,
    command: { name: command.name, source: command.source, origin: command.origin },
    ...(command.mode ? { mode: command.mode } : {}),
    ...(command.role ? { role: command.role } : {}),
    ...(command.tools ? { tools: command.tools } : {}),
    ...(agent ? { agent } : {}),
  };
}

function findAgent(catalog: WorkflowCatalog, name: string, by?: string): AgentProfile {
  const agent = catalog.agents.find((a) => a.name === name);
  if (agent) return agent;
  const known = catalog.agents.map((a) => a.name).join(', ') || 'none (add one under .claude/agents/, .github/agents/ or .tiller/agents/)';
  throw new WorkflowRequestError(`${by ? `${by} names ` : ''}no agent ${JSON.stringify(name)}; the agents are: ${known}`);
}
