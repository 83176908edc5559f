// The one answer to "which files under the workspace can the agent see": the walk shared by the workspace index
// and the built-in workspace server (find_files, list_dir, the JS search; its ripgrep search is told the same rules,
// mcp-servers/workspace/search-rg.ts). It honours .gitignore files at every level (negations included, deeper files
// re-including what outer ones ignore, as git does) and the caller's excludes; it never descends into ALWAYS_SKIPPED_DIRS
// (listed as entries, not walked); it never follows a symlinked directory (a link back to an ancestor would loop, a
// link elsewhere would duplicate or escape the tree) and treats a link as a file only when it resolves to a regular
// file inside the root (a hostile repo may link to ~/.ssh). Entries come in sorted order, depth first.
// Directory reads are synchronous, in time slices (time-slice.ts): on a large tree the promise round trip per
// directory cost several times the reads themselves.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { TimeSlice } from './time-slice.js';
import type { SkippedFile } from './types.js';

/** Never walked, whatever .gitignore says: version-control internals and installed dependencies. */
export const ALWAYS_SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', 'node_modules']);

export interface TreeEntry {
  /** Root-relative path with forward slashes. */
  rel: string;
  abs: string;
  /**
   * `file`: a regular file, or a link to one inside the root; `dir`: a real directory; `link`: any other symlink (to
   * a directory, outside the root, dangling): a name, never content.
   */
  kind: 'file' | 'dir' | 'link';
  /** 1 for the start folder's direct children. */
  depth: number;
}

export interface TreeWalkOptions {
  /** Root-relative folder to start in ('' or '.' for the root); the .gitignore files above it apply too. */
  start?: string;
  /** Deepest level visited (1 = the start folder's children only). */
  maxDepth?: number;
  /** Entries visited before the walk stops (`exhausted`). */
  budget?: number;
  /** Root-relative paths (and everything under a matching folder) the caller leaves out. */
  exclude?: (rel: string) => boolean;
  signal?: AbortSignal;
}

export interface TreeWalkOutcome {
  /** The entry budget ran out before the walk finished. */
  exhausted: boolean;
  /** Unreadable folders and symlinked directories, with the reason. */
  skipped: SkippedFile[];
}

interface IgnoreScope {
  /** Root-relative directory the .gitignore sits in ('' for the root). */
  base: string;
  matcher: Ignore;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('indexing was cancelled');
}

/** Whether the .gitignore scopes in force ignore a root-relative path. */
export function isIgnored(scopes: readonly IgnoreScope[], rel: string, isDir: boolean): boolean {
  // Later (deeper) scopes may re-include what an outer one ignored, as git does.
  let ignored = false;
  for (const scope of scopes) {
    const local = scope.base ? rel.slice(scope.base.length + 1) : rel;
    const result = scope.matcher.test(isDir ? `${local}/` : local);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

function loadGitignore(dir: string, base: string): IgnoreScope | undefined {
  try {
    const text = readFileSync(join(dir, '.gitignore'), 'utf8');
    return { base, matcher: ignore({ allowRelativePaths: true }).add(text) };
  } catch {
    return undefined;
  }
}

/** The scopes of the .gitignore files from the root down to (not including) `start`. */
function scopesAbove(root: string, start: string): IgnoreScope[] {
  const scopes: IgnoreScope[] = [];
  const parts = start ? start.split('/') : [];
  for (let i = 0; i < parts.length; i++) {
    const base = parts.slice(0, i).join('/');
    const scope = loadGitignore(base ? join(root, base) : root, base);
    if (scope) scopes.push(scope);
  }
  return scopes;
}

/** Visits what the agent may see under `root` (from `options.start`); `visit` returns false to stop the walk. */
export async function walkTree(root: string, options: TreeWalkOptions, visit: (entry: TreeEntry) => boolean | void): Promise<TreeWalkOutcome> {
  const start = options.start === undefined || options.start === '.' ? '' : options.start.replace(/\/+$/, '');
  const maxDepth = options.maxDepth ?? Infinity;
  const exclude = options.exclude ?? (() => false);
  const skipped: SkippedFile[] = [];
  const realRoot = realpathSync(root);
  const slice = new TimeSlice();
  let budget = options.budget ?? Infinity;
  let exhausted = false;
  let stopped = false;

  const visitDir = async (dir: string, rel: string, depth: number, scopes: IgnoreScope[]): Promise<void> => {
    if (slice.due) await slice.yield();
    throwIfAborted(options.signal);
    const own = loadGitignore(dir, rel);
    const active = own ? [...scopes, own] : scopes;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      skipped.push({ path: rel || '.', reason: 'unreadable' });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const dirent of entries) {
      if (stopped) return;
      const childRel = rel ? `${rel}/${dirent.name}` : dirent.name;
      const childAbs = join(dir, dirent.name);
      let kind: TreeEntry['kind'];
      if (dirent.isSymbolicLink()) {
        const target = resolveLink(childAbs, realRoot);
        if (target === 'dir') skipped.push({ path: childRel, reason: 'symlink_loop' });
        kind = target === 'file' ? 'file' : 'link';
      } else if (dirent.isDirectory()) kind = 'dir';
      else if (dirent.isFile()) kind = 'file';
      else continue; // sockets, fifos, devices: nothing to read
      if (isIgnored(active, childRel, kind === 'dir') || exclude(childRel)) continue;
      if (budget-- <= 0) {
        exhausted = true;
        stopped = true;
        return;
      }
      if (visit({ rel: childRel, abs: childAbs, kind, depth }) === false) {
        stopped = true;
        return;
      }
      if (kind === 'dir' && depth < maxDepth && !ALWAYS_SKIPPED_DIRS.has(dirent.name)) await visitDir(childAbs, childRel, depth + 1, active);
    }
  };

  await visitDir(start ? join(root, start) : root, start, 1, scopesAbove(root, start));
  return { exhausted, skipped };
}

/** What a symlink points at: only a regular file inside the root counts as a file. */
function resolveLink(abs: string, realRoot: string): 'file' | 'dir' | 'other' {
  try {
    const info = statSync(abs);
    if (info.isDirectory()) return 'dir';
    if (!info.isFile()) return 'other';
    const real = realpathSync(abs);
    const inside = relative(realRoot, real);
    return inside && !inside.startsWith('..') && !inside.startsWith(sep) ? 'file' : 'other';
  } catch {
    // A dangling link or a loop of links (ELOOP).
    return 'other';
  }
}
