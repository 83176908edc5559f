// Tools that steer the agent itself rather than act on the world: asking the user a question, and delegating an
// investigation to a read-only explorer. They touch no file and run no command, so they sit beside the MCP tools
// rather than behind the permission gate; everything that acts goes through the gate.
import type { ToolDefinition } from '../model/types.js';

export const ASK_USER = 'ask_user';
export const EXPLORE = 'explore';

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
