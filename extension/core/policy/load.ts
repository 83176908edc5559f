// Loads the project's `.tiller/permissions.json`. Any problem in the file (bad JSON, an unknown key, one bad rule)
// is reported with its line and the whole file is ignored: the engine then runs on defaults and user rules, which
// can only be stricter than what the file meant to allow.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { permissionsFileSchema } from './schema.js';
import { parseRuleSet, type RawRules, type RuleError, type RuleSet } from './rules.js';

export { permissionsFileSchema } from './schema.js';

export const PROJECT_RULES_FILE = path.join('.tiller', 'permissions.json');

export interface LoadedRules {
  /** Empty when the file is missing or has any error (the file is then ignored whole). */
  rules: RuleSet;
  errors: RuleError[];
}

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
    return { rules: {}, errors: [fileError(`${file}${line ? `:${line}` : ''}: not valid JSON (${msg}); the file is ignored`, line)] };
  }
  // JSON.parse keeps the last of two equal keys, silently dropping the first list: refuse instead.
  for (const key of ['allow', 'ask', 'deny']) {
    const at = [...text.matchAll(new RegExp(`"${key}"\\s*:`, 'g'))].map((m) => m.index);
    if (at.length > 1) {
      const line = lineAt(text, at[1]!);
      return { rules: {}, errors: [fileError(`${file}:${line}: duplicate key \`${key}\` (JSON keeps only the last); the file is ignored`, line)] };
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
      const what = keys.length ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `\`${k}\``).join(', ')}; expected allow, ask or deny` : issue.message;
      return fileError(`${file}${line ? `:${line}` : ''}${where}: ${what}; the file is ignored`, line);
    });
    return { rules: {}, errors };
  }
  const { allow, ask, deny } = shape.data;
  const raw: RawRules = { allow, ask, deny };
  const parsed = parseRuleSet(raw, 'project');
  if (parsed.errors.length === 0) return { rules: raw, errors: [] };
  const errors = parsed.errors.map((e) => {
    const line = e.list && e.index ? lineOfRule(text, e.list, e.index) : undefined;
    return { ...e, line, message: `${file}${line ? `:${line}` : ''}: ${e.message}; the file is ignored` };
  });
  return { rules: {}, errors };
}

/** Reads `<root>/.tiller/permissions.json`. A missing file is no rules and no error. */
export function loadProjectRules(workspaceRoot: string): LoadedRules {
  const file = path.join(workspaceRoot, PROJECT_RULES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { rules: {}, errors: [] };
    return { rules: {}, errors: [fileError(`${file}: cannot be read (${(e as Error).message}); the file is ignored`)] };
  }
  return parseProjectRules(text.replace(/^\uFEFF/, ''), file);
}
