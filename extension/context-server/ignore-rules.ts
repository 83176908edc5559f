// .gitignore for files that change after the cold build: the walk skipped ignored files, so a watcher event for one
// (build output, a package install) must not slip it into the index. Same rules as the walk: every .gitignore from the
// root down to the file's folder, deeper ones able to re-include, and VCS folders always out.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

const VCS_DIRS = new Set(['.git', '.hg', '.svn']);

export class GitignoreRules {
  /** Folder (workspace-relative, '' for the root) -> its .gitignore matcher, or null when it has none. */
  private readonly cache = new Map<string, Promise<Ignore | null>>();

  constructor(private readonly root: string) {}

  async isIgnored(relative: string): Promise<boolean> {
    const segments = relative.split('/');
    if (segments.some((s) => VCS_DIRS.has(s))) return true;
    // As the walk goes: in each folder from the root down, that folder's .gitignore joins the rules, then the next
    // path component (a folder on the way, or the file itself) is tested against all of them.
    const scopes: Array<{ base: string; matcher: Ignore }> = [];
    for (let depth = 0; depth < segments.length; depth++) {
      const base = segments.slice(0, depth).join('/');
      const matcher = await this.matcher(base);
      if (matcher) scopes.push({ base, matcher });
      const child = segments.slice(0, depth + 1).join('/');
      const isDir = depth < segments.length - 1;
      if (ignoredBy(scopes, child, isDir)) return true;
    }
    return false;
  }

  /** A .gitignore changed: its folder's rules are read again on next use. */
  forget(relativeGitignore: string): void {
    this.cache.delete(path.posix.dirname(relativeGitignore) === '.' ? '' : path.posix.dirname(relativeGitignore));
  }

  private matcher(base: string): Promise<Ignore | null> {
    let cached = this.cache.get(base);
    if (!cached) {
      const file = path.join(this.root, ...(base ? base.split('/') : []), '.gitignore');
      cached = readFile(file, 'utf8').then(
        (text) => ignore({ allowRelativePaths: true }).add(text),
        () => null,
      );
      this.cache.set(base, cached);
    }
    return cached;
  }
}

function ignoredBy(scopes: ReadonlyArray<{ base: string; matcher: Ignore }>, rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, matcher } of scopes) {
    const local = base ? rel.slice(base.length + 1) : rel;
    const result = matcher.test(isDir ? `${local}/` : local);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}
