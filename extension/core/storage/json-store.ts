// Small JSON files that several Tiller processes share (consent, pinned tool lists, ...): every update is a locked
// read-modify-write with an atomic replace, so two windows never lose each other's changes or leave a torn file.
// A file that does not parse or fails its schema is moved aside (`<name>.corrupt-<time>`) and reported — never
// silently reset, because the user may need what was in it.
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomicSync } from './atomic-sync.js';
import { withFileLockSync, type LockOptions } from './file-lock.js';

export interface JsonStoreProblem {
  file: string;
  quarantinedAs: string;
  reason: string;
}

export interface JsonStore<T> {
  read(): T;
  update(change: (current: T) => T): T;
}

export function jsonStore<S extends z.ZodType>(
  file: string,
  schema: S,
  empty: () => z.infer<S>,
  options: LockOptions & { onProblem?: (p: JsonStoreProblem) => void } = {},
): JsonStore<z.infer<S>> {
  type T = z.infer<S>;
  const load = (): T => {
    if (!existsSync(file)) return empty();
    const text = readFileSync(file, 'utf8');
    let reason: string;
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data as T;
      reason = `does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
    } catch (err) {
      reason = `is not valid JSON (${(err as Error).message})`;
    }
    const quarantinedAs = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, quarantinedAs);
    options.onProblem?.({ file, quarantinedAs, reason: `${file} ${reason}; moved to ${quarantinedAs} and started afresh` });
    return empty();
  };
  return {
    read() {
      return withFileLockSync(file, load, options);
    },
    update(change) {
      mkdirSync(dirname(file), { recursive: true });
      return withFileLockSync(
        file,
        () => {
          const next = change(load());
          writeFileAtomicSync(file, JSON.stringify(next, null, 2) + '\n');
          return next;
        },
        options,
      );
    },
  };
}
