// The CLI's SecretStore: one JSON file readable by the user only (0600, in a 0700 folder under TILLER_HOME),
// rewritten atomically so a crash never leaves half a token file. VS Code uses its SecretStorage instead.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
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

function writeAtomic(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

export function createFileSecretStore(tillerHome: string): SecretStore & { readonly path: string } {
  const path = join(tillerHome, 'secrets', 'secrets.json');
  // Writes are serialised so two saves in flight (tokens and client information) cannot lose each other.
  let queue: Promise<unknown> = Promise.resolve();
  const update = (change: (all: Record<string, string>) => void): Promise<void> => {
    const next = queue.then(() => {
      const all = readAll(path);
      change(all);
      writeAtomic(path, `${JSON.stringify(all, null, 2)}\n`);
    });
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    path,
    async get(key) {
      await queue;
      return readAll(path)[key];
    },
    set: (key, value) => update((all) => void (all[key] = value)),
    delete: (key) => update((all) => void delete all[key]),
  };
}
