// Decides what the index may be told after the cold build, with the build's own rules: paths under an exclude glob or
// a .gitignore stay out, and so do binary, minified and oversized contents, symlinks leading out of the workspace and
// anything that is not a regular file. The repository is untrusted: a watcher event must never make the server read
// outside the root or read 2 GB, and a package install must not pour node_modules into the index.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { checkContent, looksMinified } from '../core/context/index/content-check.js';
import { compileExcludes, type ExcludeMatcher } from '../core/context/index/exclude.js';
import { GitignoreRules } from './ignore-rules.js';
import { relativeToRoot } from './paths.js';

const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export type FileRead =
  | { kind: 'content'; content: string }
  /** Gone, or no longer something the index should hold (too large, binary, a directory, an outside link). */
  | { kind: 'removed' }
  /** Excluded or ignored: the index never saw it, so there is nothing to tell it. */
  | { kind: 'ignored' };

export class DiskFiles {
  private readonly excluded: ExcludeMatcher;
  private readonly gitignore: GitignoreRules;
  private readonly realRoot: Promise<string>;

  constructor(
    private readonly root: string,
    exclude: readonly string[],
    private readonly maxFileBytes = DEFAULT_MAX_FILE_BYTES,
    onBadGlob: (pattern: string, reason: string) => void = () => {},
  ) {
    this.excluded = compileExcludes(exclude, onBadGlob);
    this.gitignore = new GitignoreRules(root);
    this.realRoot = fs.realpath(root).catch(() => root);
  }

  /** True when the path or one of its folders matches an exclude glob (`**\/node_modules` excludes what is inside). */
  isExcluded(relative: string): boolean {
    return this.excluded(relative);
  }

  /** Whether the index may hold this path at all (exclude globs, .gitignore). */
  async admits(relative: string): Promise<boolean> {
    return !this.isExcluded(relative) && !(await this.gitignore.isIgnored(relative));
  }

  /** Call when a file changed on disk: a changed .gitignore is read again. */
  noteChanged(relative: string): void {
    if (relative === '.gitignore' || relative.endsWith('/.gitignore')) this.gitignore.forget(relative);
  }

  /** An editor buffer's text as the index should get it: the text, or `removed` when the build would have skipped it. */
  async buffer(relative: string, text: string): Promise<FileRead> {
    if (!(await this.admits(relative))) return { kind: 'ignored' };
    // Length in UTF-16 units is a lower bound on the UTF-8 size: cheap enough for every keystroke.
    if (text.length > this.maxFileBytes || text.slice(0, 8192).includes('\0') || looksMinified(text)) return { kind: 'removed' };
    return { kind: 'content', content: text.replace(/^\uFEFF/, '') };
  }

  async read(relative: string): Promise<FileRead> {
    if (!(await this.admits(relative))) return { kind: 'ignored' };
    const absolute = path.join(this.root, ...relative.split('/'));
    try {
      const real = await fs.realpath(absolute);
      if (relativeToRoot(await this.realRoot, real) === undefined) return { kind: 'removed' };
      const stat = await fs.stat(real);
      if (!stat.isFile() || stat.size > this.maxFileBytes) return { kind: 'removed' };
      const checked = checkContent(await fs.readFile(real));
      return checked.ok ? { kind: 'content', content: checked.text } : { kind: 'removed' };
    } catch {
      return { kind: 'removed' };
    }
  }
}
