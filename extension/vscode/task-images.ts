// Images the composer sent with a task: decoded and checked again here (the webview is not trusted: magic bytes and
// the size cap, whatever it claimed), then stored under TILLER_HOME/images so the task message holds a reference.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createImageStore, imagesDir } from '../core/model/image-store.js';
import type { ImageAttachment } from '../core/model/types.js';
import type { ImageUpload } from '../protocol/messages.js';

/** Throws ImageError naming the image and what is wrong with it; nothing is stored for a bad one. */
export function storeUploadedImages(uploads: readonly ImageUpload[], env: NodeJS.ProcessEnv = process.env): ImageAttachment[] {
  if (uploads.length === 0) return [];
  // TILLER_HOME as the harness reads it (core/harness.ts tillerHome), without loading the harness here.
  const store = createImageStore(imagesDir(env.TILLER_HOME || join(homedir(), '.tiller')));
  return uploads.map((u) => store.storeBytes(Buffer.from(u.dataBase64, 'base64'), u.name));
}
