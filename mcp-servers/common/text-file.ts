// Reading files as text: binary detection the way git does it (a NUL byte in the first 8000 bytes), and a
// size ceiling so a tool call cannot pull a huge file into memory.
import { open, type FileHandle } from 'node:fs/promises';

export const MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024;

export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

export class TextFileError extends Error {
  override name = 'TextFileError';
}

/** Reads a whole file, refusing directories, oversized and binary files with a reason. */
/**
 * `openHandle` opens the file (the path guard's `openRead`, which decides at use); a plain open when omitted.
 */
export async function readTextFile(
  abs: string,
  rel: string,
  maxBytes = MAX_TEXT_FILE_BYTES,
  openHandle: () => Promise<FileHandle> = () =>
    open(abs, 'r').catch((error: NodeJS.ErrnoException) => {
      throw new TextFileError(error.code === 'ENOENT' ? `${rel} does not exist` : `cannot open ${rel}: ${error.code ?? error.message}`);
    }),
): Promise<{ bytes: Buffer; text: string }> {
  const handle = await openHandle();
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new TextFileError(`${rel} is a directory; use list_dir`);
    if (!stat.isFile()) throw new TextFileError(`${rel} is not a regular file`);
    if (stat.size > maxBytes) throw new TextFileError(`${rel} is ${stat.size} bytes, over the ${maxBytes}-byte limit for text files`);
    const bytes = await handle.readFile();
    if (looksBinary(bytes)) throw new TextFileError(`${rel} looks like a binary file (it contains NUL bytes); only text files can be read or edited`);
    return { bytes, text: bytes.toString('utf8') };
  } finally {
    await handle.close();
  }
}
