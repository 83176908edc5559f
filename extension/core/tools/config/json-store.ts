// Small JSON state files under TILLER_HOME (consent, tool pins). Reads validate the shape; a file that is missing,
// unreadable or malformed reads as empty, which can only cost the user a repeated question, never grant anything.
// Writes replace the file atomically so a crash never leaves half a grant behind.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from '../../edits/atomic-write.js';

export function readJsonState<T>(path: string, schema: z.ZodType<T>, empty: () => T, warn?: (message: string) => void): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return empty();
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    warn?.(`${path} has an unexpected shape (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}); treating it as empty`);
  } catch (err) {
    warn?.(`${path} is not valid JSON (${(err as Error).message}); treating it as empty`);
  }
  return empty();
}

export async function writeJsonState(path: string, value: unknown): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
}
