// The eval suite: every task, in the order the table lists them.
import type { EvalTask } from '../lib/types.js';
import { codeChangeTasks } from './code-changes.js';
import { safetyTasks } from './safety.js';
import { agentTasks } from './agent.js';
import { checkTasks } from './checks.js';
import { hookTasks } from './hooks.js';
import { workflowTasks } from './workflows.js';

export const ALL_TASKS: EvalTask[] = [...codeChangeTasks, ...safetyTasks, ...agentTasks, ...checkTasks, ...hookTasks, ...workflowTasks];
