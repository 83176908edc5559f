// The CLI's SecretStore: one JSON file readable by the user only (0600, in a 0700 folder under TILLER_HOME). Every
// change is a read-modify-write under the cross-process lock with an atomic replace (storage/), so two CLI runs signing
// in at once cannot lose each other's tokens and a crash never leaves half a file. A file that is not an object of
// strings is refused, not reset: it may hold tokens the user still needs. VS Code uses its SecretStorage instead.
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomicSync } from '../../storage/atomic-sync.js';
import { withFileLockSync } from '../../storage/file-lock.js';
import type { SecretStore } from '../../ports.js';

function readAll(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${path} is not a JSON object of secrets`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) if (typeof value === 'string') out[key] = value;
  return out;
}

export function createFileSecretStore(tillerHome: string): SecretStore & { readonly path: string } {
  const path = join(tillerHome, 'secrets', 'secrets.json');
  const update = (change: (all: Record<string, string>) => void): Promise<void> => {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      chmodSync(dirname(path), 0o700);
      withFileLockSync(path, () => {
        const all = readAll(path);
        change(all);
        writeFileAtomicSync(path, `${JSON.stringify(all, null, 2)}\n`, 0o600);
      });
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return {
    path,
    // No lock to read: writers replace the file atomically, so a reader sees the old or the new file whole.
    get(key) {
      try {
        return Promise.resolve(readAll(path)[key]);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    set: (key, value) => update((all) => void (all[key] = value)),
    delete: (key) => update((all) => void delete all[key]),
  };
}
