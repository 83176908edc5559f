// Atomic file replacement: a reader sees the old bytes or the new bytes, never a torn file, and a crash leaves the
// old file in place. The temp file lives in the target's directory so that the rename never crosses file systems.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** File mode for the result; defaults to the existing file's mode (or the process default for a new file). */
  mode?: number;
}

export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tiller-${randomBytes(6).toString('hex')}.tmp`);
}

async function existingMode(target: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(target)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Writes `data` to a new temp file next to `target`, fsynced, with `mode`. Returns the temp path. */
export async function writeTempFile(target: string, data: string | Uint8Array, mode: number | undefined): Promise<string> {
  const temp = tempPathFor(target);
  const handle = await fsp.open(temp, 'wx', mode ?? 0o666);
  try {
    await handle.writeFile(data);
    // `open` applies the umask; an explicit chmod keeps the mode the file had.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fsp.unlink(temp).catch(() => undefined);
    throw e;
  }
  await handle.close();
  return temp;
}

/** Makes a rename durable. Some platforms cannot open or fsync a directory; that is not an error there. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e;
  } finally {
    await handle?.close();
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? (await existingMode(target));
  const temp = await writeTempFile(target, data, mode);
  try {
    await fsp.rename(temp, target);
  } catch (e) {
    await fsp.unlink(temp).catch(() => undefined);
    throw e;
  }
  await fsyncDirectory(path.dirname(target));
}
