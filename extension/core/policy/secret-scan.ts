// A recursive read (`grep -r`, `rg`, `cp -r`, `tar`) of a directory reads every file under it, including secrets that
// no argument names. This walks the directory (bounded) looking for a file the read rules deny.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileContributions, type PolicyContext } from './file-decision.js';
import { matchGlob } from './glob.js';

/** Directories not walked: too large to be worth it, and not where secret files live. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
export const MAX_SCANNED_ENTRIES = 20_000;

export type ScanResult = { kind: 'clean' } | { kind: 'denied'; relative: string; rule: string } | { kind: 'too-large' };

function deniedRule(ctx: PolicyContext, relative: string, absolute: string): string | undefined {
  for (const rule of ctx.rules) {
    if (rule.kind === 'read' && rule.decision === 'deny' && matchGlob(rule.glob, { relative, absolute }, ctx.caseInsensitive)) return rule.text;
  }
  return undefined;
}

/** `dir` is a real absolute directory inside `root`; `prefix` its path relative to the root ('' for the root). */
export function scanForDenied(ctx: PolicyContext, dir: string, prefix: string): ScanResult {
  let seen = 0;
  const stack: Array<[string, string]> = [[dir, prefix]];
  while (stack.length > 0) {
    const [abs, rel] = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++seen > MAX_SCANNED_ENTRIES) return { kind: 'too-large' };
      const childAbs = path.join(abs, e.name);
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      const rule = deniedRule(ctx, childRel, childAbs.split(path.sep).join('/'));
      if (rule) return { kind: 'denied', relative: childRel, rule };
      if (e.isSymbolicLink()) {
        // Followed by `grep -R` and friends: what the link points at decides.
        const target = fileContributions(ctx, 'read', childAbs).find((d) => d.decision === 'deny');
        if (target) return { kind: 'denied', relative: childRel, rule: target.rule };
      } else if (e.isDirectory() && !SKIPPED_DIRS.has(e.name)) {
        stack.push([childAbs, childRel]);
      }
    }
  }
  return { kind: 'clean' };
}
