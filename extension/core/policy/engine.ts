// The permission engine: the union of user, project, default and builtin rules decides every action. Deny beats ask
// beats allow whatever the source or specificity, so no project rule can loosen a user deny, a secret or a builtin
// protection; defaults for ask/allow apply only when no written rule matched.
import { BUILTIN_ASK_RULES, DEFAULT_DENY_RULES } from './defaults.js';
import { fileContributions, fromRule, isWritten, named, NAMED, printable, type PolicyContext } from './file-decision.js';
import { matchName } from './glob.js';
import { detectCaseInsensitive } from './paths.js';
import { parseRuleSet, type RawRules, type Rule, type RuleError } from './rules.js';
import { netContributions } from './net-decision.js';
import { shellContributions } from './shell-decision.js';
import { strictest, type PolicyAction, type PolicyDecision, type PolicyEngine } from './types.js';

export interface PolicyEngineOptions {
  workspaceRoots: string[];
  userRules?: RawRules;
  projectRules?: RawRules;
  /** Whether paths compare without case; detected by probing the roots when omitted. */
  caseInsensitive?: boolean;
}

export interface ExplainingPolicyEngine extends PolicyEngine {
  /** Every decision that applied to the action; `decide` returns the strictest of them. */
  explain(action: PolicyAction): PolicyDecision[];
  /** Rules that did not parse. A user or project set with errors loses its allows and keeps its asks and denies. */
  readonly errors: RuleError[];
}

function userAndProjectRules(options: PolicyEngineOptions): { rules: Rule[]; errors: RuleError[] } {
  const user = parseRuleSet(options.userRules ?? {}, 'user');
  const project = parseRuleSet(options.projectRules ?? {}, 'project');
  // Failing closed: a set that does not fully parse may have lost a deny, so none of its allows are trusted, while
  // every restriction that did parse still binds (dropping a whole project set would drop its denies with it).
  const userRules = user.errors.length > 0 ? user.rules.filter((r) => r.decision !== 'allow') : user.rules;
  const projectRules = project.errors.length > 0 ? project.rules.filter((r) => r.decision !== 'allow') : project.rules;
  return { rules: [...userRules, ...projectRules], errors: [...user.errors, ...project.errors] };
}

const SUSPICIOUS_TOOL = /[^\w.\-:/@]/;

function mcpContributions(ctx: PolicyContext, tool: string): PolicyDecision[] {
  if (tool === '' || SUSPICIOUS_TOOL.test(tool)) {
    return [named('deny', NAMED.suspiciousTool, 'builtin', `tool name \`${printable(tool)}\` has characters a namespaced tool name never has`)];
  }
  const out = ctx.rules.filter((r) => r.kind === 'mcp' && matchName(r.glob, tool)).map((r) => fromRule(r, `tool \`${tool}\``));
  if (!out.some(isWritten)) out.push(named('ask', NAMED.mcpAsks, 'default', `tool \`${tool}\`: MCP tools ask unless a rule allows them`));
  return out;
}

export function createPolicyEngine(options: PolicyEngineOptions): ExplainingPolicyEngine {
  const roots = [...options.workspaceRoots];
  const { rules, errors } = userAndProjectRules(options);
  const ctx: PolicyContext = {
    roots,
    rules: [...rules, ...DEFAULT_DENY_RULES, ...BUILTIN_ASK_RULES],
    // One case-insensitive root makes matching case-insensitive everywhere: the stricter reading of every rule.
    caseInsensitive: options.caseInsensitive ?? roots.some((r) => detectCaseInsensitive(r)),
  };

  function explain(action: PolicyAction): PolicyDecision[] {
    switch (action.kind) {
      case 'read':
      case 'write':
        return fileContributions(ctx, action.kind, action.path);
      case 'shell':
        return shellContributions(ctx, action.command, action.cwd);
      case 'mcp':
        return mcpContributions(ctx, action.tool);
      case 'net':
        return netContributions(ctx.rules, action.host);
      default:
        return [named('deny', 'builtin: unknown action', 'builtin', `unknown action kind \`${String((action as { kind: unknown }).kind)}\``)];
    }
  }

  return {
    explain,
    errors,
    decide(action) {
      try {
        return strictest(explain(action)) ?? named('ask', NAMED.shellAnalysis, 'builtin', 'no rule applied');
      } catch (e) {
        // Failing closed: whatever broke the analysis may be the point of the input.
        return named('deny', 'builtin: analysis failed', 'builtin', `the action could not be analysed: ${(e as Error).message}`);
      }
    },
  };
}
