// Loads the project's `.tiller/permissions.json`. A problem in the file (bad JSON, an unknown key, one bad rule) is
// reported with the file, line and rule, and never leaves fewer restrictions than a valid file would: every deny and
// ask rule that can still be read stays in force, no allow rule does, and when a restriction may have been lost (the
// body is not JSON, a deny or ask rule or a key could not be read) writes and shell commands are denied outright.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import { permissionsFileSchema } from './schema.js';
import { parseRuleSet, type RawRules, type RuleError, type RuleSet } from './rules.js';

export { permissionsFileSchema } from './schema.js';

export const PROJECT_RULES_FILE = path.join('.tiller', 'permissions.json');

export interface LoadedRules {
  /**
   * The rules in the file; with errors, only what still restricts: the deny and ask rules that parse, plus
   * `deny write(**)` and `deny shell(*)` when a restriction may have been lost. Never an allow when there are errors.
   */
  rules: RuleSet;
  errors: RuleError[];
}

/** Added to a broken file's rules when a deny or ask rule it meant to have may be lost: fail closed. */
export const BROKEN_FILE_DENIES: readonly string[] = ['write(**)', 'shell(*)'];
const LOST_RESTRICTIONS = 'its allow rules are ignored; its readable deny and ask rules apply, and writes and shell commands are denied until it is fixed';
const ALLOWS_DROPPED = 'its allow rules are ignored; its deny and ask rules apply';

function lineAt(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split('\n').length;
}

/** Line of the `n`th (1-based) string in the array under `key`, found by scanning the raw text. */
function lineOfRule(text: string, key: string, n: number): number | undefined {
  const keyAt = text.search(new RegExp(`"${key}"\\s*:\\s*\\[`));
  if (keyAt < 0) return undefined;
  let i = text.indexOf('[', keyAt) + 1;
  let count = 0;
  while (i < text.length && text[i] !== ']') {
    if (text[i] === '"') {
      count++;
      if (count === n) return lineAt(text, i);
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    }
    i++;
  }
  return undefined;
}

function fileError(message: string, line?: number): RuleError {
  return { source: 'project', list: undefined, index: undefined, rule: undefined, line, message };
}

/** Parses the text of a permissions file; `file` names it in messages. */
export function parseProjectRules(text: string, file: string): LoadedRules {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? lineAt(text, Number(pos[1])) : undefined;
    return { rules: salvage(text, true), errors: [fileError(`${file}${line ? `:${line}` : ''}: not valid JSON (${msg}); ${LOST_RESTRICTIONS}`, line)] };
  }
  // JSON.parse keeps the last of two equal keys, silently dropping the first list: refuse instead.
  for (const key of ['allow', 'ask', 'deny']) {
    const at = [...text.matchAll(new RegExp(`"${key}"\\s*:`, 'g'))].map((m) => m.index);
    if (at.length > 1) {
      const line = lineAt(text, at[1]!);
      return {
        rules: salvage(text, true),
        errors: [fileError(`${file}:${line}: duplicate key \`${key}\` (JSON keeps only the last); ${LOST_RESTRICTIONS}`, line)],
      };
    }
  }
  const shape = permissionsFileSchema.safeParse(json);
  if (!shape.success) {
    const errors = shape.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const key = keys[0] ?? String(issue.path[0] ?? '');
      const at = key ? text.indexOf(`"${key}"`) : -1;
      const line = at >= 0 ? lineAt(text, at) : undefined;
      const where = issue.path.length ? ` at \`${issue.path.join('.')}\`` : '';
      const what = keys.length
        ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `\`${k}\``).join(', ')}; expected allow, ask or deny`
        : issue.message;
      return fileError(`${file}${line ? `:${line}` : ''}${where}: ${what}; ${LOST_RESTRICTIONS}`, line);
    });
    return { rules: salvage(text, true), errors };
  }
  const { allow, ask, deny } = shape.data;
  const raw: RawRules = { allow, ask, deny };
  const parsed = parseRuleSet(raw, 'project');
  if (parsed.errors.length === 0) return { rules: raw, errors: [] };
  // A bad allow rule loses nothing that restricts; a bad deny or ask rule may have been the one that mattered.
  const lost = parsed.errors.some((e) => e.list !== 'allow');
  const consequence = lost ? LOST_RESTRICTIONS : ALLOWS_DROPPED;
  const errors = parsed.errors.map((e) => {
    const line = e.list && e.index ? lineOfRule(text, e.list, e.index) : undefined;
    return { ...e, line, message: `${file}${line ? `:${line}` : ''}: ${e.message}; ${consequence}` };
  });
  return { rules: salvage(text, lost), errors };
}

/**
 * What still restricts in a file with errors: the deny and ask rules that parse, read as leniently as possible (the
 * JSON may be broken), plus the outright denies when a restriction may have been lost.
 */
function salvage(text: string, lost: boolean): RuleSet {
  // Every `deny`/`ask` list at the top level, duplicates included (JSON.parse would keep only the last).
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const lists: Record<'deny' | 'ask', string[]> = { deny: [], ask: [] };
  for (const property of tree?.type === 'object' ? (tree.children ?? []) : []) {
    const [key, value] = property.children ?? [];
    const name = key?.value;
    if ((name !== 'deny' && name !== 'ask') || value?.type !== 'array') continue;
    for (const item of value.children ?? []) {
      if (item.type !== 'string' || typeof item.value !== 'string') continue;
      if (parseRuleSet({ [name]: [item.value] }, 'project').errors.length === 0) lists[name as 'deny' | 'ask'].push(item.value);
    }
  }
  const deny = [...lists.deny, ...(lost ? BROKEN_FILE_DENIES : [])];
  return { ...(deny.length ? { deny } : {}), ...(lists.ask.length ? { ask: lists.ask } : {}) };
}

/** Reads `<root>/.tiller/permissions.json`. A missing file is no rules and no error. */
export function loadProjectRules(workspaceRoot: string): LoadedRules {
  const file = path.join(workspaceRoot, PROJECT_RULES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { rules: {}, errors: [] };
    return { rules: { deny: [...BROKEN_FILE_DENIES] }, errors: [fileError(`${file}: cannot be read (${(e as Error).message}); ${LOST_RESTRICTIONS}`)] };
  }
  return parseProjectRules(text.replace(/^\uFEFF/, ''), file);
}
