// The CLI's user-level permission rules: `$TILLER_HOME/permissions.json` (default ~/.tiller), the same format as a
// project's `.tiller/permissions.json`. A user file that does not parse stops the CLI: it may hold the denies the user
// relies on, so running without it would be failing open.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProjectRules } from '../core/policy/load.js';
import type { RawRules } from '../core/policy/rules.js';
import { tillerHome } from '../core/harness.js';
import { UsageError } from './exit-codes.js';

export function loadUserRules(): RawRules | undefined {
  const file = join(tillerHome(), 'permissions.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read your permission rules ${file}: ${(err as Error).message}`);
  }
  const loaded = parseProjectRules(text, file);
  if (loaded.errors.length)
    throw new UsageError(
      `${loaded.errors.map((e) => e.message.replace(/; its allow rules are ignored.*$/, '')).join('\n')}\nfix your permission rules before running Tiller`,
    );
  return loaded.rules;
}
