// The permission engine's contract: every action the agent wants is turned into one or more PolicyActions, each
// decided allow/ask/deny with the rule that decided it.

export type Decision = 'allow' | 'ask' | 'deny';

export type PolicyAction =
  | { kind: 'read'; path: string }
  | { kind: 'write'; path: string }
  | { kind: 'shell'; command: string; cwd?: string }
  /** `tool` is the namespaced `server.tool`. */
  | { kind: 'mcp'; tool: string }
  /** A connection from a sandboxed command to `host` (a name or an address), decided by the sandbox's proxy. */
  | { kind: 'net'; host: string };

export type RuleSource = 'user' | 'project' | 'default' | 'builtin';

export interface PolicyDecision {
  decision: Decision;
  /** The rule as written, e.g. `deny read(**\/.env*)`, or a builtin's name. */
  rule: string;
  source: RuleSource;
  /** A sentence a user can read: why this decision. */
  reason: string;
}

export interface PolicyEngine {
  decide(action: PolicyAction): PolicyDecision;
}

/** Strictest first: deny beats ask beats allow whatever the specificity. */
export function strictest(decisions: PolicyDecision[]): PolicyDecision | undefined {
  const rank: Record<Decision, number> = { deny: 2, ask: 1, allow: 0 };
  let worst: PolicyDecision | undefined;
  for (const d of decisions) if (!worst || rank[d.decision] > rank[worst.decision]) worst = d;
  return worst;
}
