// The index's file list: the files of the shared workspace walk (tree-walk.ts, the same the workspace server
// uses), with the caller's exclude globs, up to a file budget, cancellable.
import { compileExcludes } from './exclude.js';
import { throwIfAborted, walkTree } from './tree-walk.js';
import type { SkippedFile } from './types.js';

export { throwIfAborted, toPosix } from './tree-walk.js';

export interface WalkOptions {
  exclude?: string[];
  maxFiles: number;
  signal?: AbortSignal;
  onProgress?: (files: number) => void;
}

export interface WalkResult {
  /** Workspace-relative, forward slashes, in walk order. */
  files: string[];
  skipped: SkippedFile[];
}

export async function walkWorkspace(root: string, options: WalkOptions): Promise<WalkResult> {
  const files: string[] = [];
  const budgetSkips: SkippedFile[] = [];
  const outcome = await walkTree(root, { exclude: compileExcludes(options.exclude ?? []), ...(options.signal ? { signal: options.signal } : {}) }, (entry) => {
    if (entry.kind !== 'file') return;
    if (files.length >= options.maxFiles) {
      budgetSkips.push({ path: entry.rel, reason: 'budget' });
      return false;
    }
    files.push(entry.rel);
    if (files.length % 500 === 0) {
      options.onProgress?.(files.length);
      throwIfAborted(options.signal);
    }
  });
  return { files, skipped: [...outcome.skipped, ...budgetSkips] };
}
