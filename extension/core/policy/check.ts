// The engine behind `tiller check`: decide one or more actions named on the command line, strictest wins.
import type { ExplainingPolicyEngine } from './engine.js';
import { strictest, type PolicyAction, type PolicyDecision } from './types.js';

export interface CheckInput {
  read?: string;
  write?: string;
  command?: string;
  /** Namespaced MCP tool, `server.tool`. */
  tool?: string;
  /** Working directory for `command`. */
  cwd?: string;
}

export function actionsOf(input: CheckInput): PolicyAction[] {
  const actions: PolicyAction[] = [];
  if (input.read !== undefined) actions.push({ kind: 'read', path: input.read });
  if (input.write !== undefined) actions.push({ kind: 'write', path: input.write });
  if (input.command !== undefined) actions.push({ kind: 'shell', command: input.command, cwd: input.cwd });
  if (input.tool !== undefined) actions.push({ kind: 'mcp', tool: input.tool });
  return actions;
}

export function checkAction(engine: Pick<ExplainingPolicyEngine, 'decide'>, input: CheckInput): PolicyDecision {
  const actions = actionsOf(input);
  if (actions.length === 0) throw new Error('nothing to check: give at least one of read, write, command or tool');
  return strictest(actions.map((a) => engine.decide(a)))!;
}

export function decisionToJson(d: PolicyDecision): { decision: PolicyDecision['decision']; rule: string; reason: string } {
  return { decision: d.decision, rule: d.rule, reason: d.reason };
}
