// How a PreToolUse hook's permission decision meets the rules' decision, in one place: a hook may deny or ask; its
// allow never overrides a rule's deny (nor the sandbox, which is not decided here at all: an allowed command still runs
// sandboxed, and an escalation is still asked of a person). Only a USER hook's allow may skip a rule's ask — a project
// hook is the repository speaking, and the repository may restrict, never grant.
import type { PolicyDecision } from '../../policy/types.js';
import type { HookPermission } from './types.js';

export function combineHookPermission(rules: PolicyDecision | undefined, hook: HookPermission | undefined): PolicyDecision | undefined {
  if (!hook) return rules;
  const fromHook = (decision: PolicyDecision['decision']): PolicyDecision => ({ decision, rule: hook.rule, source: hook.source, reason: hook.reason });
  if (rules?.decision === 'deny') return rules;
  if (hook.decision === 'deny') return fromHook('deny');
  if (hook.decision === 'ask') return rules?.decision === 'ask' ? { ...rules, reason: `${rules.reason}; and ${hook.reason}` } : fromHook('ask');
  // allow
  if (rules?.decision === 'ask') return hook.source === 'user' ? fromHook('allow') : rules;
  return rules;
}

/** Merges several hooks' decisions on one call: deny over ask over allow; an allow is the user's if any user hook gave it. */
export function mergeHookPermissions(list: HookPermission[]): HookPermission | undefined {
  const rank = { deny: 2, ask: 1, allow: 0 } as const;
  let worst: HookPermission | undefined;
  for (const p of list) {
    if (!worst || rank[p.decision] > rank[worst.decision]) worst = p;
    else if (p.decision === 'allow' && worst.decision === 'allow' && p.source === 'user') worst = p;
  }
  return worst;
}
