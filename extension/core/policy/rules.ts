// Rule strings `Kind(pattern)` as written in `.tiller/permissions.json` and in user settings, parsed once into
// matchers. A rule that does not parse is an error naming the list, position, text and what was wrong.
import type { Decision, RuleSource } from './types.js';
import { compileGlob, GlobError, type CompiledGlob } from './glob.js';

/** `net(HOST)`: globs over host names the sandbox's proxy may reach (`net(*)` for all; loopback only when named). */
export type RuleKind = 'read' | 'write' | 'shell' | 'mcp' | 'net';
export const RULE_KINDS: readonly RuleKind[] = ['read', 'write', 'shell', 'mcp', 'net'];
export const RULE_LISTS: readonly Decision[] = ['allow', 'ask', 'deny'];

/** Rules as they appear in a file or in settings. */
export interface RawRules {
  allow?: string[];
  ask?: string[];
  deny?: string[];
}

/** The name the rule loader uses for a set of raw rules. */
export type RuleSet = RawRules;

interface RuleBase {
  decision: Decision;
  source: RuleSource;
  /** How the rule reads in a decision, e.g. `deny read(**\/.env*)`. */
  text: string;
  pattern: string;
}

export type Rule =
  | (RuleBase & { kind: 'read' | 'write' | 'mcp' | 'net'; glob: CompiledGlob })
  /** `words` must equal the command's first words; `wildcard` lets any further words follow. */
  | (RuleBase & { kind: 'shell'; words: string[]; wildcard: boolean });

export interface RuleError {
  source: RuleSource;
  list: Decision | undefined;
  /** 1-based position in its list. */
  index: number | undefined;
  rule: string | undefined;
  /** 1-based line in the rule file, when the rules came from a file. */
  line?: number;
  message: string;
}

/** Host names, IPv4 and bracket-less IPv6 literals, and glob characters; no scheme, path, port or user part. */
const NET_PATTERN = /^[A-Za-z0-9.*?\-[\]{},:]+$/;

const RULE_SHAPE = /^([A-Za-z_][\w-]*)\((.*)\)$/s;

export function parseRule(raw: string, decision: Decision, source: RuleSource, index?: number): { ok: true; rule: Rule } | { ok: false; error: RuleError } {
  const where = index === undefined ? `rule in ${decision}` : `rule ${index} in ${decision}`;
  const fail = (why: string) => ({
    ok: false as const,
    error: { source, list: decision, index, rule: raw, message: `${where}: \`${raw}\` — ${why}` },
  });
  if (typeof raw !== 'string') return fail('a rule must be a string');
  const text = raw.trim();
  const shape = RULE_SHAPE.exec(text);
  if (!shape) return fail('expected `Kind(pattern)`, e.g. `read(src/**)` or `shell(npm test)`');
  const kindText = shape[1]!;
  const pattern = shape[2]!.trim();
  if (!(RULE_KINDS as readonly string[]).includes(kindText)) {
    return fail(`unknown kind \`${kindText}\`; expected read, write, shell, mcp or net`);
  }
  const kind = kindText as RuleKind;
  if (pattern === '') return fail('the pattern is empty');
  const base = { decision, source, text: `${decision} ${kind}(${pattern})`, pattern };
  if (kind === 'shell') {
    const parsed = parseShellPattern(pattern);
    if (typeof parsed === 'string') return fail(parsed);
    return { ok: true, rule: { ...base, kind, ...parsed } };
  }
  if (kind === 'mcp' && !/^[\w.*?\-[\]{},!/]+$/.test(pattern)) {
    return fail('an mcp pattern is `server.tool` with glob characters only, e.g. `github.*`');
  }
  if (kind === 'net' && !NET_PATTERN.test(pattern)) {
    return fail('a net pattern is a host name or address with glob characters only, e.g. `registry.npmjs.org`, `*.github.com` or `*`');
  }
  try {
    // Host names compare without case; the pattern is folded once here, the host by the matcher's caller.
    return { ok: true, rule: { ...base, kind, glob: compileGlob(kind === 'net' ? pattern.toLowerCase() : pattern) } };
  } catch (e) {
    if (e instanceof GlobError) return fail(e.message);
    throw e;
  }
}

function parseShellPattern(pattern: string): { words: string[]; wildcard: boolean } | string {
  if (/[\0\n\r]/.test(pattern)) return 'a shell pattern is one line of words';
  const words = pattern.split(/\s+/).filter((w) => w !== '');
  const last = words[words.length - 1];
  const wildcard = last === '*';
  const fixed = wildcard ? words.slice(0, -1) : words;
  const starred = fixed.find((w) => w.includes('*'));
  if (starred !== undefined || (last !== undefined && last !== '*' && last.includes('*'))) {
    return '`*` is only allowed as the last word, on its own (e.g. `shell(npm run *)`)';
  }
  return { words: fixed, wildcard };
}

/** Parses every list of a rule set; a bad rule becomes an error and is left out. */
export function parseRuleSet(raw: RawRules, source: RuleSource): { rules: Rule[]; errors: RuleError[] } {
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  for (const list of RULE_LISTS) {
    const entries: unknown = raw[list];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      errors.push({ source, list, index: undefined, rule: undefined, message: `\`${list}\` must be a list of rule strings` });
      continue;
    }
    entries.forEach((entry: unknown, i) => {
      const parsed = parseRule(entry as string, list, source, i + 1);
      if (parsed.ok) rules.push(parsed.rule);
      else errors.push(parsed.error);
    });
  }
  return { rules, errors };
}

/** Whether a shell rule covers a simple command given as its words (after quote removal). */
/**
 * `nocaseCommand` compares the command name without case: on a case-insensitive file system `RM` runs `rm`. Used for
 * deny and ask rules only (an allow never widens by case).
 */
export function shellRuleMatches(rule: Extract<Rule, { kind: 'shell' }>, words: readonly string[], nocaseCommand = false): boolean {
  if (words.length < rule.words.length) return false;
  if (!rule.wildcard && words.length !== rule.words.length) return false;
  return rule.words.every((w, i) => words[i] === w || (i === 0 && nocaseCommand && words[i]!.toLowerCase() === w.toLowerCase()));
}
