// The file walk: honours .gitignore files at every level and the caller's exclude globs, never follows a symlinked
// directory (so a link back to an ancestor cannot loop), and stops at a file budget or when cancelled.
// Directory reads are synchronous, in time slices (time-slice.ts): on a large tree the promise round trip per
// directory cost several times the reads themselves.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { compileExcludes } from './exclude.js';
import { TimeSlice } from './time-slice.js';
import type { SkippedFile } from './types.js';

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

/** Directories no fix lives in and that are not always listed in .gitignore. */
const ALWAYS_SKIPPED_DIRS = new Set(['.git', '.hg', '.svn']);

interface IgnoreScope {
  /** Workspace-relative directory the .gitignore sits in ('' for the root). */
  base: string;
  matcher: Ignore;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('indexing was cancelled');
}

function isIgnored(scopes: IgnoreScope[], rel: string, isDir: boolean): boolean {
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

export async function walkWorkspace(root: string, options: WalkOptions): Promise<WalkResult> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const realRoot = realpathSync(root);
  const excluded = compileExcludes(options.exclude ?? []);
  let budgetHit = false;
  const slice = new TimeSlice();

  const visit = async (dir: string, rel: string, scopes: IgnoreScope[]): Promise<void> => {
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
    const subdirs: [string, string][] = [];
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = resolveLink(childAbs, realRoot);
        if (target === 'dir') {
          // Never followed: a link to an ancestor would loop, and a link elsewhere would duplicate or escape the tree.
          skipped.push({ path: childRel, reason: 'symlink_loop' });
          continue;
        }
        if (target !== 'file') continue;
        isFile = true;
        isDir = false;
      }
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name)) continue;
        if (isIgnored(active, childRel, true) || excluded(childRel)) continue;
        subdirs.push([childAbs, childRel]);
      } else if (isFile) {
        if (isIgnored(active, childRel, false) || excluded(childRel)) continue;
        if (files.length >= options.maxFiles) {
          if (!budgetHit) skipped.push({ path: childRel, reason: 'budget' });
          budgetHit = true;
          return;
        }
        files.push(childRel);
        if (files.length % 500 === 0) {
          options.onProgress?.(files.length);
          throwIfAborted(options.signal);
        }
      }
    }
    for (const [abs, childRel] of subdirs) {
      if (budgetHit) return;
      await visit(abs, childRel, active);
    }
  };

  await visit(root, '', []);
  return { files, skipped };
}

/** What a symlink points at: only regular files inside the workspace are indexed (a hostile repo may link to ~/.ssh). */
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
