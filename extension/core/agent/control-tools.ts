// Tools that steer the agent itself rather than act on the world: asking the user a question, delegating an
// investigation to a read-only explorer or a task to a custom agent, and loading a skill's instructions. They run no
// command and write nothing, so they sit beside the MCP tools rather than behind the permission gate; a delegated
// agent's calls go through the gate like the coordinator's, and a skill's files are read only as the read rules allow.
import type { ToolDefinition } from '../model/types.js';

export const ASK_USER = 'ask_user';
export const EXPLORE = 'explore';
export const DELEGATE = 'delegate';
export const LOAD_SKILL = 'load_skill';

/** Every control tool's name: a model tool of one of these names is the harness's, never an MCP server's. */
export const CONTROL_TOOL_NAMES: ReadonlySet<string> = new Set([ASK_USER, EXPLORE, DELEGATE, LOAD_SKILL]);

/** `delegate`, naming the custom agents the coordinator may hand a task to (its description is the menu). */
export function delegateDefinition(agents: readonly { name: string; description: string }[]): ToolDefinition {
  const menu = agents.map((a) => `- ${a.name}: ${a.description.replace(/\s+/g, ' ').trim() || '(no description)'}`).join('\n');
  return {
    name: DELEGATE,
    description: `Hand a self-contained task to one of the project's custom agents, which works in its own context with its own (narrower) tools and returns its report. Agents:\n${menu}`,
    parameters: {
      type: 'object',
      properties: {
        agent: { type: 'string', enum: agents.map((a) => a.name), description: 'Which agent.' },
        task: { type: 'string', description: 'What it should do, with everything it needs to know (it does not see your conversation).' },
      },
      required: ['agent', 'task'],
      additionalProperties: false,
    },
  };
}

export const LOAD_SKILL_DEFINITION: ToolDefinition = {
  name: LOAD_SKILL,
  description: "Load a skill's instructions (SKILL.md) by name, or one of its other files with `file`. The skills are listed in the system prompt.",
  parameters: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'The skill name.' },
      file: { type: 'string', description: "A file inside the skill's folder, e.g. reference.md (omit for SKILL.md)." },
    },
    required: ['name'],
    additionalProperties: false,
  },
};

export const CONTROL_TOOL_DEFINITIONS: Record<string, ToolDefinition> = {
  [ASK_USER]: {
    name: ASK_USER,
    description:
      'Ask the user a clarifying question when the task is ambiguous in a way that changes what you would do. Returns their answer. Do not use it for permission to act (that is asked automatically).',
    parameters: {
      type: 'object',
      properties: { question: { type: 'string', description: 'One clear question.' } },
      required: ['question'],
      additionalProperties: false,
    },
  },
  [EXPLORE]: {
    name: EXPLORE,
    description:
      'Delegate an investigation to a read-only explorer subagent with its own context (it can read, list, find and search files). Use it for broad questions ("where is X handled?") so your own context stays small. Returns its report.',
    parameters: {
      type: 'object',
      properties: { question: { type: 'string', description: 'What the explorer should find out.' } },
      required: ['question'],
      additionalProperties: false,
    },
  },
};
