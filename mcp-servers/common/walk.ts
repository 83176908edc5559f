// A bounded, deterministic walk of the workspace. It never descends into .git or node_modules, never follows
// symlinked directories (they can loop or lead outside the root), and stops after a budget of entries so a
// huge tree cannot stall a tool call.
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';

export const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

export interface WalkEntry {
  /** Workspace-relative path with forward slashes. */
  rel: string;
  abs: string;
  isDir: boolean;
  depth: number;
}

export interface WalkOptions {
  /** Maximum depth below the start (1 = direct children). */
  maxDepth?: number;
  /** Stop after this many entries have been visited. */
  budget?: number;
}

export interface WalkOutcome {
  /** The budget ran out before the walk finished. */
  exhausted: boolean;
}

/**
 * Visits entries under `startAbs` (whose workspace-relative path is `startRel`) in sorted order, depth first.
 * `visit` returns false to stop early.
 */
export async function walk(
  startAbs: string,
  startRel: string,
  options: WalkOptions,
  visit: (entry: WalkEntry) => boolean | void,
): Promise<WalkOutcome> {
  const maxDepth = options.maxDepth ?? Infinity;
  let budget = options.budget ?? 50_000;
  let stopped = false;

  async function visitDir(abs: string, rel: string, depth: number): Promise<void> {
    let names: { name: string; isDir: boolean; isFile: boolean }[] = [];
    try {
      const dir = await opendir(abs);
      for await (const d of dir) names.push({ name: d.name, isDir: d.isDirectory(), isFile: d.isFile() });
    } catch {
      return; // unreadable directories are skipped, not fatal
    }
    names = names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const n of names) {
      if (stopped) return;
      if (budget-- <= 0) {
        stopped = true;
        return;
      }
      const childRel = rel === '.' ? n.name : `${rel}/${n.name}`;
      const childAbs = join(abs, n.name);
      // Dirent.isDirectory() is false for a symlink to a directory, which is what keeps the walk from following it.
      const entry: WalkEntry = { rel: childRel, abs: childAbs, isDir: n.isDir, depth };
      if (visit(entry) === false) {
        stopped = true;
        return;
      }
      if (n.isDir && depth < maxDepth && !SKIPPED_DIRS.has(n.name)) await visitDir(childAbs, childRel, depth + 1);
    }
  }

  await visitDir(startAbs, startRel, 1);
  return { exhausted: budget < 0 };
}
