// Maps LSP document URIs to the index's workspace-relative paths. A URI the client sends is untrusted input: only
// `file:` URIs that resolve inside the workspace root are accepted; anything else (other schemes, `..` escapes, other
// drives) maps to undefined and is ignored.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function relativePathOf(root: string, uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let absolute: string;
  try {
    absolute = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  return relativeToRoot(root, absolute);
}

export function relativeToRoot(root: string, absolute: string): string | undefined {
  const rel = path.relative(root, path.resolve(absolute));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

export function uriOf(root: string, relative: string): string {
  return pathToFileURL(path.join(root, ...relative.split('/'))).href;
}
