// "Always" on an approval card: the exact allow rule it would write, and the write itself into the project's
// .tiller/permissions.json. The rule is derived here from the request, never taken from the webview, and only for
// calls a narrow rule can describe: one MCP tool by name, or a plain command without shell operators. Anything else
// gets no "Always" button. The file is rewritten atomically and only when it is valid, so a broken rule file is
// reported rather than replaced.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ApprovalRequest } from '../core/ports.js';
import { parseRule, RULE_LISTS } from '../core/policy/rules.js';
import { writeFileAtomic } from '../core/edits/atomic-write.js';
import { repinProjectRules } from '../core/policy/project-consent.js';

export const PERMISSIONS_FILE = path.join('.tiller', 'permissions.json');

/** Characters that make a command more than "these words": operators, substitutions, globs, quotes, escapes. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
const SHELL_SPECIAL = /[;&|<>$`(){}[\]*?!~#'"\\\n\r\t\u0000-\u001f\u007f]/;

/** The allow rule "Always" would add for this request, or undefined when no narrow rule fits. */
export function alwaysRuleFor(request: ApprovalRequest): string | undefined {
  let rule: string | undefined;
  if (request.kind === 'tool' && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/.test(request.tool)) rule = `mcp(${request.tool})`;
  if (request.kind === 'shell') {
    const words = request.command.trim().split(/ +/);
    if (words.length > 0 && words.length <= 8 && !SHELL_SPECIAL.test(request.command) && request.command.length <= 200) {
      rule = `shell(${words.join(' ')})`;
    }
  }
  if (rule === undefined) return undefined;
  return parseRule(rule, 'allow', 'project').ok ? rule : undefined;
}

function problem(file: string, why: string): Error {
  return new Error(`${file}: ${why}; the rule was not saved. Fix the file (command "Tiller: Edit Project Permissions") and try again.`);
}

/**
 * Adds `rule` to the allow list of `<root>/.tiller/permissions.json`, creating the file if needed, and moves the
 * user's consent to the new content (the user has just agreed to this rule; the rest was agreed before, or there
 * was no allow rule to agree to). `home` is TILLER_HOME, where consent is stored.
 */
export async function addAllowRule(workspaceRoot: string, rule: string, home?: string): Promise<void> {
  if (!parseRule(rule, 'allow', 'project').ok) throw new Error(`not a valid rule: ${rule}`);
  const file = path.join(workspaceRoot, PERMISSIONS_FILE);
  let data: Record<string, unknown> = {};
  let text: string | undefined;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw problem(file, `cannot be read (${(error as Error).message})`);
  }
  if (text !== undefined && text.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw problem(file, `is not valid JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw problem(file, 'is not a JSON object');
    data = parsed as Record<string, unknown>;
    for (const list of RULE_LISTS) {
      const value = data[list];
      if (value === undefined) continue;
      if (!Array.isArray(value) || value.some((r) => typeof r !== 'string')) throw problem(file, `"${list}" is not a list of rules`);
      const bad = (value as string[]).map((r) => parseRule(r, list, 'project')).find((r) => !r.ok);
      if (bad && !bad.ok) throw problem(file, bad.error.message);
    }
  }
  const allow = (data.allow as string[] | undefined) ?? [];
  if (allow.includes(rule)) return;
  data.allow = [...allow, rule];
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const next = `${JSON.stringify(data, null, 2)}\n`;
  await writeFileAtomic(file, next);
  if (home !== undefined) repinProjectRules(await fsp.realpath(workspaceRoot), home, text === undefined ? undefined : Buffer.from(text), Buffer.from(next));
}
