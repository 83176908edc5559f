// Reads a file that changed on disk for the index, refusing what the cold build would not index either: paths under
// an exclude glob, anything that is not a regular file, symlinks that lead out of the workspace, and oversized files.
// The repository is untrusted, so a watcher event must never make the server read outside the root or read 2 GB.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { compileGlob, matchGlob, type CompiledGlob } from '../core/policy/glob.js';
import { relativeToRoot } from './paths.js';

const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export type DiskRead =
  | { kind: 'content'; content: string }
  /** Gone, or no longer something the index should hold (grew too large, became a directory or an outside link). */
  | { kind: 'removed' }
  /** Excluded: the index never saw it, so there is nothing to tell it. */
  | { kind: 'ignored' };

export class DiskFiles {
  private readonly excludes: CompiledGlob[];
  private realRoot: Promise<string>;

  constructor(
    private readonly root: string,
    exclude: readonly string[],
    private readonly maxFileBytes = DEFAULT_MAX_FILE_BYTES,
    onBadGlob: (pattern: string, reason: string) => void = () => {},
  ) {
    this.excludes = [];
    for (const pattern of exclude) {
      try {
        this.excludes.push(compileGlob(pattern));
      } catch (error) {
        onBadGlob(pattern, (error as Error).message);
      }
    }
    this.realRoot = fs.realpath(root).catch(() => root);
  }

  /** True when the path or one of its folders matches an exclude glob (`**\/node_modules` excludes what is inside). */
  isExcluded(relative: string): boolean {
    const segments = relative.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      if (this.excludes.some((glob) => matchGlob(glob, { relative: prefix }, false))) return true;
    }
    return false;
  }

  async read(relative: string): Promise<DiskRead> {
    if (this.isExcluded(relative)) return { kind: 'ignored' };
    const absolute = path.join(this.root, ...relative.split('/'));
    try {
      const real = await fs.realpath(absolute);
      if (relativeToRoot(await this.realRoot, real) === undefined) return { kind: 'removed' };
      const stat = await fs.stat(real);
      if (!stat.isFile() || stat.size > this.maxFileBytes) return { kind: 'removed' };
      return { kind: 'content', content: await fs.readFile(real, 'utf8') };
    } catch {
      return { kind: 'removed' };
    }
  }
}
