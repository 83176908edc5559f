// Exclude globs (VS Code's `files.exclude` / `search.exclude`, which a workspace's own settings can set) matched with
// the permission engine's glob compiler: its worst case is polynomial, where minimatch's backtracking regular
// expressions can be made to take seconds per path by a hostile pattern.
import { compileGlob, matchGlob, type CompiledGlob } from '../../policy/glob.js';

export type ExcludeMatcher = (relative: string) => boolean;

/** True for a path when it, or one of its folders, matches a glob (`**\/node_modules` excludes what is inside). */
export function compileExcludes(patterns: readonly string[], onBadGlob: (pattern: string, reason: string) => void = () => {}): ExcludeMatcher {
  const globs: CompiledGlob[] = [];
  for (const pattern of patterns) {
    try {
      globs.push(compileGlob(pattern.replace(/^\/+/, '')));
    } catch (error) {
      onBadGlob(pattern, (error as Error).message);
    }
  }
  if (globs.length === 0) return () => false;
  return (relative) => {
    const segments = relative.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      if (globs.some((glob) => matchGlob(glob, { relative: prefix }, false))) return true;
    }
    return false;
  };
}
