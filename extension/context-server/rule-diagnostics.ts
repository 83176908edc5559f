// Problems in Tiller's own `.tiller/permissions.json`, as LSP diagnostics: the policy engine ignores a broken file
// whole, so the user should see why while editing it, not only when a task starts.
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { parseProjectRules } from '../core/policy/load.js';

export const RULES_FILE = '.tiller/permissions.json';

export function ruleFileDiagnostics(text: string): Diagnostic[] {
  const { errors } = parseProjectRules(text.replace(/^\uFEFF/, ''), RULES_FILE);
  const lines = text.split('\n');
  return errors.map((error) => {
    const line = Math.max(0, Math.min((error.line ?? 1) - 1, lines.length - 1));
    return {
      severity: DiagnosticSeverity.Error,
      range: { start: { line, character: 0 }, end: { line, character: lines[line]?.replace(/\r$/, '').length ?? 0 } },
      message: error.message,
      source: 'tiller',
    };
  });
}

const MAX_RULES_BYTES = 1024 * 1024;

/** A Tiller file's text on disk (the rules file by default), or undefined when there is none (or it is not a small regular file). */
export async function readRulesFile(root: string, rel: string = RULES_FILE): Promise<string | undefined> {
  const file = path.join(root, ...rel.split('/'));
  try {
    // A hostile repository may make it a link to /dev/zero or a huge file: regular and small only.
    const info = await stat(file);
    return info.isFile() && info.size <= MAX_RULES_BYTES ? await readFile(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
