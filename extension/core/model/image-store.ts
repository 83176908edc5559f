// The one place images enter Tiller: pasted into the composer, given with --image, or returned by an MCP tool. Each
// is checked (a real PNG, JPEG, GIF or WebP by its magic bytes, within the size cap), then stored once under
// `$TILLER_HOME/images/<sha256>.<ext>`; messages, sessions and traces hold only that reference.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomicSync } from '../storage/atomic-sync.js';
import { formatBytes, IMAGE_EXTENSIONS, imageProblem, MAX_IMAGE_BYTES, readImageHeader } from './image-format.js';

export { formatBytes, imageProblem, MAX_IMAGE_BYTES } from './image-format.js';
import type { ImageAttachment } from './types.js';

/** An image that cannot be attached; the message names the image and what is wrong, and nothing is sent. */
export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

export interface ImageStore {
  /** Checks and stores raw bytes; `name` is what the user or tool called it. Throws ImageError. */
  storeBytes(bytes: Uint8Array, name: string): ImageAttachment;
  /** Reads, checks and stores a file. Throws ImageError. */
  storeFile(path: string): ImageAttachment;
}

export function imagesDir(tillerHome: string): string {
  return join(tillerHome, 'images');
}

export function createImageStore(dir: string): ImageStore {
  const storeBytes = (bytes: Uint8Array, name: string): ImageAttachment => {
    const label = name.trim() || 'the image';
    const problem = imageProblem(bytes, label);
    if (problem) throw new ImageError(problem);
    const header = readImageHeader(bytes)!;
    const digest = createHash('sha256').update(bytes).digest('hex');
    const path = join(dir, `${digest}.${IMAGE_EXTENSIONS[header.mimeType]}`);
    // Content-addressed: the same image pasted twice is stored once, and a stored file never changes.
    if (!existsSync(path)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileAtomicSync(path, bytes);
    }
    return {
      path,
      mimeType: header.mimeType,
      bytes: bytes.length,
      name: label,
      ...(header.width !== undefined && header.height !== undefined ? { width: header.width, height: header.height } : {}),
    };
  };
  return {
    storeBytes,
    storeFile(file) {
      let size: number;
      try {
        const stat = statSync(file);
        if (!stat.isFile()) throw new ImageError(`${file} is not a file`);
        size = stat.size;
      } catch (err) {
        if (err instanceof ImageError) throw err;
        throw new ImageError(`cannot read the image ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      // Checked before reading, so a huge file is never loaded into memory.
      if (size > MAX_IMAGE_BYTES) throw new ImageError(`${file} is ${formatBytes(size)}; the limit for an image is ${formatBytes(MAX_IMAGE_BYTES)}`);
      return storeBytes(readFileSync(file), basename(file));
    },
  };
}

/** What a model that takes no images reads instead: enough to know an image was there and what it was. */
export function describeImage(image: ImageAttachment): string {
  const size = image.width !== undefined && image.height !== undefined ? `, ${image.width}x${image.height}` : '';
  return `[image not shown to this model: ${image.name} (${image.mimeType}, ${formatBytes(image.bytes)}${size})]`;
}
