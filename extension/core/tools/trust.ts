// When a server's annotations may spare the user a question. Only for servers the user marked `trusted` in their own
// settings, only for a tool that says it is read-only and not destructive, and only when the question came from the
// default rules: an `ask` the user or the project wrote is always asked. For any other server annotations are hints.
import type { PolicyAction, PolicyDecision } from '../policy/types.js';
import type { ToolDescriptor } from './types.js';

export function annotationsSpareQuestion(tool: ToolDescriptor | undefined, actions: PolicyAction[], decisions: PolicyDecision[]): boolean {
  if (tool?.trusted !== true) return false;
  const a = tool.annotations;
  if (a?.readOnlyHint !== true || a.destructiveHint === true) return false;
  if (!actions.every((x) => x.kind === 'mcp')) return false;
  return decisions.every((d) => d.decision === 'allow' || (d.decision === 'ask' && d.source === 'default'));
}
