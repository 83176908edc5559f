// Decisions for reads and writes of one path, and the shared vocabulary of decisions (named defaults and builtins).
import { matchGlob } from './glob.js';
import { caseInsensitiveAt, resolveForPolicy } from './paths.js';
import type { Rule } from './rules.js';
import type { Decision, PolicyDecision, RuleSource } from './types.js';

export interface PolicyContext {
  roots: string[];
  /** Union of user, project, default-deny and builtin rules, in that order. */
  rules: Rule[];
  caseInsensitive: boolean;
}

/** Names used as `rule` when no written rule decided. */
export const NAMED = {
  readInside: 'default: read inside the workspace',
  writeAsks: 'default: writes ask',
  shellAsks: 'default: shell commands ask',
  mcpAsks: 'default: MCP tools ask',
  outside: 'default: outside the workspace roots',
  suspiciousPath: 'builtin: suspicious path',
  suspiciousCommand: 'builtin: suspicious command',
  shellAnalysis: 'builtin: shell analysis',
  suspiciousTool: 'builtin: suspicious tool name',
} as const;

export function named(decision: Decision, rule: string, source: RuleSource, reason: string): PolicyDecision {
  return { decision, rule, source, reason };
}

export function fromRule(rule: Rule, subject: string): PolicyDecision {
  return {
    decision: rule.decision,
    rule: rule.text,
    source: rule.source,
    reason: `${subject} matches the ${rule.source} rule \`${rule.text}\``,
  };
}

const WRITTEN: ReadonlySet<RuleSource> = new Set(['user', 'project']);

/**
 * Every decision that applies to reading or writing `p`: matching rules from the union, plus the default for the
 * kind when no user or project rule matched. Outside the roots and unresolvable paths are denied outright.
 */
export function fileContributions(ctx: PolicyContext, kind: 'read' | 'write', p: string, cwd?: string): PolicyDecision[] {
  const resolved = resolveForPolicy(ctx.roots, p, { cwd, caseInsensitive: ctx.caseInsensitive });
  if (!resolved.ok) {
    return [named('deny', NAMED.suspiciousPath, 'builtin', `${kind} of \`${printable(p)}\` refused: ${resolved.reason}`)];
  }
  if (resolved.root === undefined) {
    return [named('deny', NAMED.outside, 'default', `${kind} of \`${resolved.absolute}\` is outside the workspace roots`)];
  }
  const subject = `${kind} of \`${resolved.relative === '' ? '.' : resolved.relative}\``;
  // Case is decided where the file lives: a case-insensitive folder (a mount, a casefold directory) inside a
  // case-sensitive workspace still opens `.env` for `.ENV`.
  const nocase = ctx.caseInsensitive || caseInsensitiveAt(resolved.absolute);
  const out: PolicyDecision[] = [];
  for (const rule of ctx.rules) {
    if (rule.kind !== kind) continue;
    if (matchGlob(rule.glob, { relative: resolved.relative, absolute: resolved.absolute.split('\\').join('/') }, nocase)) {
      out.push(fromRule(rule, subject));
    }
  }
  if (!out.some((d) => WRITTEN.has(d.source))) {
    out.push(
      kind === 'read'
        ? named('allow', NAMED.readInside, 'default', `${subject}: reading inside the workspace is allowed by default`)
        : named('ask', NAMED.writeAsks, 'default', `${subject}: writes ask by default`),
    );
  }
  return out;
}

export function isWritten(d: PolicyDecision): boolean {
  return WRITTEN.has(d.source);
}

/** Makes control and invisible characters visible in a reason. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
