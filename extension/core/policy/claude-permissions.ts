// `.claude/settings.json`'s `permissions` (`allow`/`ask`/`deny` in Claude Code's rule syntax: `Bash(npm run test:*)`,
// `Read(./.env)`, `Edit(src/**)`, `WebFetch(domain:x.com)`, `mcp__github__create_issue`) read as PROJECT rules: the
// repository restricts at once and grants only with consent. Each entry is translated into Tiller's `kind(pattern)`.
// What cannot be translated is reported; an allow that cannot be is ignored (nothing granted), a deny or ask that
// cannot be is made broader instead (a Bash pattern is cut at its first wildcard), and one that cannot be read at all
// — or a file whose permissions cannot be read — denies writes and shell commands outright (fail closed, as a broken
// `.tiller/permissions.json` does).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AskConsent, ConsentRequest, ConsentStore, ConsentSubject } from '../storage/consent-store.js';
import { BROKEN_FILE_DENIES } from './load.js';
import { parseRule, type RawRules } from './rules.js';
import { formatSettingsProblem, readSettingsFile, type SettingsFile, type SettingsProblem } from './settings-file.js';

export const CLAUDE_SETTINGS_NAME = '.claude/settings.json';
type List = 'allow' | 'ask' | 'deny';
const LISTS: readonly List[] = ['allow', 'ask', 'deny'];

export type Translation =
  /** `rules`: Tiller rules meaning the entry (or, for a deny or ask made broader, covering it); `note` when widened. */
  | { ok: true; rules: string[]; note?: string }
  /** `restrict`: what a deny or ask that cannot be read is replaced by (fail closed). */
  | { ok: false; why: string; restrict?: string[] };

const SHAPE = /^([A-Za-z_][\w-]*)(?:\((.*)\))?$/s;
const WRITE_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
const READ_TOOLS = new Set(['Read', 'Grep', 'Glob', 'LS', 'NotebookRead']);
/** Claude tools Tiller has no counterpart of: nothing to allow, nothing to deny. */
const NO_COUNTERPART = new Set(['WebSearch', 'Task', 'TodoWrite', 'TodoRead', 'ExitPlanMode', 'BashOutput', 'KillShell', 'KillBash', 'SlashCommand', 'Agent']);

/** A Claude path specifier as a Tiller glob (gitignore-style: a name without a slash matches at any depth). */
function pathGlob(spec: string, home: string): string | undefined {
  let p = spec.trim();
  if (p === '' || p === '*' || p === '**') return '**';
  if (p.startsWith('//')) p = p.slice(1);
  else if (p === '~' || p.startsWith('~/')) p = join(home, p.slice(1));
  else if (p.startsWith('/'))
    p = p.slice(1); // relative to the settings file's project
  else if (p.startsWith('./')) p = p.slice(2);
  else if (!p.includes('/')) p = `**/${p}`;
  if (p.endsWith('/')) p += '**';
  return p === '' ? '**' : p;
}

function shellRule(spec: string | undefined, list: List): Translation {
  if (spec === undefined || spec.trim() === '' || spec.trim() === '*') return { ok: true, rules: ['shell(*)'] };
  let s = spec.trim();
  // `npm run test:*` is Claude's prefix form, matched on characters: it also covers `npm run test:unit`. Tiller's
  // trailing ` *` matches whole words, so an allow keeps the narrower `npm run test *`, and a deny or ask of several
  // words widens to its words before the last (`npm run *`) so it binds on everything Claude's would. A one-word
  // prefix (`git:*`) stays that program: `gitk` is another program, not an argument.
  if (s.endsWith(':*')) {
    const prefix = s.slice(0, -2).trim().split(/\s+/);
    if (list !== 'allow' && prefix.length > 1) {
      return {
        ok: true,
        rules: [`shell(${[...prefix.slice(0, -1), '*'].join(' ')})`],
        note: `made broader: \`${s}\` matches any command starting with \`${prefix.join(' ')}\`, and Tiller's patterns match whole words`,
      };
    }
    s = `${prefix.join(' ')} *`;
  }
  const words = s.split(/\s+/);
  const firstStar = words.findIndex((w) => w.includes('*'));
  if (firstStar < 0 || (firstStar === words.length - 1 && words[firstStar] === '*')) return { ok: true, rules: [`shell(${words.join(' ')})`] };
  if (list === 'allow') return { ok: false, why: 'a wildcard inside a command pattern has no Tiller equivalent (only a trailing ` *`)' };
  const prefix = words.slice(0, firstStar);
  return { ok: true, rules: [`shell(${[...prefix, '*'].join(' ')})`], note: `made broader: Tiller's shell patterns take \`*\` only as the last word` };
}

/** One Claude rule as Tiller rules. */
export function translateClaudeRule(entry: unknown, list: List, home: string): Translation {
  const restrict = list === 'allow' ? {} : { restrict: [...BROKEN_FILE_DENIES] };
  if (typeof entry !== 'string') return { ok: false, why: 'a rule must be a string', ...restrict };
  const shape = SHAPE.exec(entry.trim());
  if (!shape) return { ok: false, why: 'expected `Tool` or `Tool(specifier)`, e.g. `Bash(npm test)` or `Read(./.env)`', ...restrict };
  const tool = shape[1]!;
  const spec = shape[2];
  let out: Translation;
  if (tool === 'Bash') out = shellRule(spec, list);
  else if (WRITE_TOOLS.has(tool) || READ_TOOLS.has(tool)) {
    const kind = WRITE_TOOLS.has(tool) ? 'write' : 'read';
    const glob = spec === undefined ? '**' : pathGlob(spec, home);
    out = glob === undefined ? { ok: false, why: 'the path cannot be read' } : { ok: true, rules: [`${kind}(${glob})`] };
  } else if (tool === 'WebFetch') {
    if (spec === undefined || spec.trim() === '') out = { ok: true, rules: ['net(*)'] };
    else {
      const domain = /^domain:(.+)$/.exec(spec.trim());
      out = domain
        ? { ok: true, rules: [`net(${domain[1]!.trim()})`] }
        : list === 'allow'
          ? { ok: false, why: 'only `WebFetch(domain:HOST)` has a Tiller equivalent' }
          : { ok: true, rules: ['net(*)'], note: 'made broader: a URL pattern is read as every host' };
    }
  } else if (tool.startsWith('mcp__')) {
    if (spec !== undefined) return { ok: false, why: 'an MCP rule takes no specifier', ...restrict };
    const [server, ...rest] = tool.slice('mcp__'.length).split('__');
    const name = rest.join('__');
    if (!server) return { ok: false, why: 'expected `mcp__server` or `mcp__server__tool`', ...restrict };
    out = { ok: true, rules: [`mcp(${server}.${name === '' || name === '*' ? '*' : name})`] };
  } else if (NO_COUNTERPART.has(tool)) {
    return { ok: false, why: `Tiller has no \`${tool}\` tool, so there is nothing to ${list}` };
  } else {
    return { ok: false, why: `unknown tool \`${tool}\``, ...restrict };
  }
  if (!out.ok) return { ...out, ...restrict };
  // Whatever was produced must be a rule Tiller reads; otherwise it is not translated.
  for (const r of out.rules) {
    const parsed = parseRule(r, list, 'project');
    if (!parsed.ok) return { ok: false, why: `its translation \`${r}\` is not a valid rule (${parsed.error.message})`, ...restrict };
  }
  return out;
}

export interface ClaudeRules {
  file: string;
  /** The rules translated (allow included, whatever the consent). */
  rules: RawRules;
  /** In force: deny and ask always; allow only with consent to this exact list. */
  inForce: RawRules;
  unconsentedAllows: string[];
  /** sha256 over the translated allow list, as shown: what consent pins. */
  hash: string | undefined;
  /** Lines of the consent prompt: `allow Bash(npm test) as shell(npm test)`. */
  shownAllows: string[];
  warnings: string[];
  /** The same, with file and line apart (the Problems view). */
  problems: SettingsProblem[];
}

/** Translates a settings file's permissions (already read); exported for the Problems view. */
export function claudeRulesFromSettings(settings: SettingsFile, home: string): Omit<ClaudeRules, 'inForce' | 'unconsentedAllows'> {
  const problems: SettingsProblem[] = [...settings.problems];
  const rules: Required<RawRules> = { allow: [], ask: [], deny: [] };
  const shownAllows: string[] = [];
  let at: (string | number)[] = [];
  const warnings = { push: (message: string) => void problems.push(settings.problem(at, message)) };
  if (settings.broken) {
    // The permissions may have held denies: nothing of them can be trusted to be read, so close what matters most.
    rules.deny.push(...BROKEN_FILE_DENIES);
    at = [];
    warnings.push('its permissions cannot be read; writes and shell commands are denied until it is fixed');
  }
  const permissions = (settings.value as Record<string, unknown> | undefined)?.permissions;
  if (permissions !== undefined && (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions))) {
    rules.deny.push(...BROKEN_FILE_DENIES);
    at = ['permissions'];
    warnings.push('`permissions` must be an object; writes and shell commands are denied until it is fixed');
  } else if (permissions) {
    for (const list of LISTS) {
      const entries = (permissions as Record<string, unknown>)[list];
      if (entries === undefined) continue;
      if (!Array.isArray(entries)) {
        if (list !== 'allow') rules.deny.push(...BROKEN_FILE_DENIES);
        at = ['permissions', list];
        warnings.push(
          `\`permissions.${list}\` must be a list of rules; ${list === 'allow' ? 'it is ignored' : 'writes and shell commands are denied until it is fixed'}`,
        );
        continue;
      }
      entries.forEach((entry: unknown, i) => {
        const t = translateClaudeRule(entry, list, home);
        at = ['permissions', list, i];
        if (t.ok) {
          rules[list].push(...t.rules);
          if (list === 'allow') shownAllows.push(`allow ${String(entry)} as ${t.rules.join(', ')}`);
          if (t.note) warnings.push(`${list} \`${String(entry)}\` ${t.note}: ${t.rules.join(', ')}`);
          return;
        }
        const consequence =
          list === 'allow' ? 'it is ignored' : t.restrict ? `writes and shell commands are denied instead (${t.restrict.join(', ')})` : 'nothing to restrict';
        if (t.restrict) rules.deny.push(...t.restrict);
        warnings.push(`${list} \`${String(entry)}\` cannot be translated (${t.why}); ${consequence}`);
      });
    }
  }
  const dedupe = (l: string[]) => [...new Set(l)];
  const out: RawRules = {};
  for (const list of LISTS) if (rules[list].length) out[list] = dedupe(rules[list]);
  const hash = out.allow?.length ? createHash('sha256').update(JSON.stringify(shownAllows)).digest('hex') : undefined;
  return { file: settings.shownAs, rules: out, hash, shownAllows, problems, warnings: problems.map(formatSettingsProblem) };
}

function subjectFor(workspace: string, hash: string): ConsentSubject {
  return { workspace, kind: 'project-rules', name: CLAUDE_SETTINGS_NAME, hash };
}

/** Reads and translates the file, applying consent already stored; asks nobody. */
export function readClaudeRules(workspace: string, home: string, store: ConsentStore | undefined): ClaudeRules {
  const t = claudeRulesFromSettings(readSettingsFile(join(workspace, '.claude', 'settings.json'), CLAUDE_SETTINGS_NAME), home);
  const consented = t.hash !== undefined && store !== undefined && store.has(subjectFor(workspace, t.hash));
  const { allow, ...restrictions } = t.rules;
  return { ...t, inForce: consented ? t.rules : restrictions, unconsentedAllows: consented ? [] : (allow ?? []) };
}

export function claudeRulesConsentRequest(workspace: string, rules: ClaudeRules): ConsentRequest {
  return {
    kind: 'project-rules',
    name: CLAUDE_SETTINGS_NAME,
    origin: CLAUDE_SETTINGS_NAME,
    workspace,
    wants: 'allow these actions without asking (its deny and ask rules already apply)',
    shown: rules.shownAllows,
    question: 'Allow them?',
    agree: 'Allow',
  };
}

/** Reads the file and asks about allows not yet agreed to; a yes is stored unless `remember` is false. */
export async function claudeRulesWithConsent(
  workspace: string,
  home: string,
  options: { store: ConsentStore; ask?: AskConsent; remember?: boolean },
): Promise<ClaudeRules> {
  const rules = readClaudeRules(workspace, home, options.store);
  if (rules.unconsentedAllows.length === 0 || !options.ask || rules.hash === undefined) return rules;
  const request = claudeRulesConsentRequest(workspace, rules);
  if (!(await options.ask(request))) return rules;
  if (options.remember !== false) options.store.grant(subjectFor(workspace, rules.hash), request.shown.join('\n'));
  return { ...rules, inForce: rules.rules, unconsentedAllows: [] };
}

/** Two rule sets as one (the union: every deny and ask of either binds). */
export function unionRules(a: RawRules, b: RawRules): RawRules {
  const out: RawRules = {};
  for (const list of LISTS) {
    const merged = [...new Set([...(a[list] ?? []), ...(b[list] ?? [])])];
    if (merged.length) out[list] = merged;
  }
  return out;
}
