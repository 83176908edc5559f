// A recursive read (`grep -r`, `rg`, `cp -r`, `tar`) or write (`rm -r`, `chmod -R`, `find -delete`) of a directory
// touches every file under it, including secrets that no argument names. This walks the directory (bounded) looking
// for a file the rules deny, or (for writes) a builtin-protected one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileContributions, type PolicyContext } from './file-decision.js';
import { matchGlob } from './glob.js';
import { caseInsensitiveAt } from './paths.js';
import type { Decision } from './types.js';

/** Directories not walked: too large to be worth it, and not where secret files live (the directory itself is checked). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
export const MAX_SCANNED_ENTRIES = 20_000;

export type ScanResult = { kind: 'clean' } | { kind: 'match'; decision: Exclude<Decision, 'allow'>; relative: string; rule: string } | { kind: 'too-large' };

function strictRule(ctx: PolicyContext, kind: 'read' | 'write', relative: string, absolute: string, nocase: boolean): ScanResult {
  let ask: ScanResult = { kind: 'clean' };
  for (const rule of ctx.rules) {
    if (rule.kind !== kind || rule.decision === 'allow') continue;
    if (rule.decision === 'ask' && rule.source !== 'builtin') continue;
    if (!matchGlob(rule.glob, { relative, absolute }, nocase)) continue;
    if (rule.decision === 'deny') return { kind: 'match', decision: 'deny', relative, rule: rule.text };
    if (ask.kind === 'clean') ask = { kind: 'match', decision: 'ask', relative, rule: rule.text };
  }
  return ask;
}

/** `dir` is a real absolute directory inside a root; `prefix` its path relative to that root ('' for the root). */
export function scanForDenied(ctx: PolicyContext, kind: 'read' | 'write', dir: string, prefix: string, followLinks = false): ScanResult {
  let seen = 0;
  let firstAsk: ScanResult = { kind: 'clean' };
  const stack: Array<[string, string]> = [[dir, prefix]];
  while (stack.length > 0) {
    const [abs, rel] = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      continue;
    }
    // Case is a property of each folder (a case-insensitive mount inside the workspace): probed once per folder.
    const nocase = ctx.caseInsensitive || caseInsensitiveAt(abs);
    for (const e of entries) {
      if (++seen > MAX_SCANNED_ENTRIES) return { kind: 'too-large' };
      const childAbs = path.join(abs, e.name);
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      const found = strictRule(ctx, kind, childRel, childAbs.split(path.sep).join('/'), nocase);
      if (found.kind === 'match' && found.decision === 'deny') return found;
      if (found.kind === 'match' && firstAsk.kind === 'clean') firstAsk = found;
      if (e.isSymbolicLink()) {
        // A reader that follows links (`grep -R`, `rg -L`) reads what the link points at. (Writers remove the link.)
        if (kind === 'read' && followLinks) {
          const target = fileContributions(ctx, 'read', childAbs).find((d) => d.decision === 'deny');
          if (target) return { kind: 'match', decision: 'deny', relative: childRel, rule: target.rule };
        }
      } else if (e.isDirectory() && !SKIPPED_DIRS.has(e.name)) {
        stack.push([childAbs, childRel]);
      }
    }
  }
  return firstAsk;
}
