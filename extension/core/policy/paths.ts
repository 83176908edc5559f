// Path resolution for policy: every path is turned into its real location before any rule sees it, so that `..`,
// symlinks and look-alike characters cannot walk a read or write past a rule. Callers resolve again at the moment of
// use (a symlink can be swapped between decision and write).
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ResolvedPath =
  | {
      ok: true;
      /** Real absolute path (symlinks resolved as far as the path exists). */
      absolute: string;
      /** The (real) workspace root containing it, or undefined when it lies outside every root. */
      root: string | undefined;
      /** Path relative to `root` with forward slashes ('' for the root itself); undefined outside the roots. */
      relative: string | undefined;
    }
  | { ok: false; reason: string };

const MAX_PATH_LENGTH = 4096;

// Characters that make a name look like something it is not: slash and dot look-alikes, bidirectional overrides and
// invisible joiners. A path containing any of them is refused rather than normalised.
const SUSPICIOUS: Array<[RegExp, string]> = [
  [/\0/, 'contains a NUL byte'],
  [/[\uFF0F\u2215\u2044\u29F8\u29F9\uFF3C\u2216\uFE68]/, 'contains a slash look-alike character'],
  [/[\uFF0E\u2024\uFE52]/, 'contains a dot look-alike character'],
  [/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/, 'contains a bidirectional control character'],
  [/[\u200B-\u200D\u2060\uFEFF\u00AD]/, 'contains an invisible character'],
  // eslint-disable-next-line no-control-regex
  [/[\u0001-\u001F\u007F]/, 'contains a control character'],
];

export function suspiciousPathReason(p: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (p.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  for (const [re, why] of SUSPICIOUS) if (re.test(p)) return why;
  // /proc/self/cwd, /proc/<pid>/root: these resolve relative to whichever process looks, not to the one that will run.
  if (/^\/proc(\/|$)/.test(p)) return 'goes through /proc, which means something different in every process';
  if (platform === 'win32') {
    const segments = p.split(/[\\/]+/).slice(/^[A-Za-z]:/.test(p) ? 1 : 0);
    // Windows drops trailing dots and spaces (`.env.` is `.env`), opens alternate data streams (`a:stream`) and
    // answers to 8.3 short names (`CREDEN~1.JSO`): each would let a name slip past a rule.
    if (segments.some((s) => /[. ]$/.test(s) && s !== '.' && s !== '..')) return 'has a segment ending in a dot or space';
    if (segments.some((s) => s.includes(':'))) return 'names an alternate data stream';
    if (segments.some((s) => /~\d/.test(s))) return 'looks like an 8.3 short name';
  }
  return undefined;
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves segment by segment with physical `..` semantics: each existing prefix is replaced by its real path before
 * the next segment is applied, so `link/..` means the parent of the link's target, as the kernel sees it. Once a
 * prefix does not exist the rest is appended lexically.
 */
export function realPathOf(absolute: string): string {
  const parsed = path.parse(absolute);
  let current = fs.realpathSync(parsed.root);
  let existing = true;
  const segments = absolute
    .slice(parsed.root.length)
    .split(/[\\/]+/)
    .filter((s) => s !== '');
  for (const seg of segments) {
    if (seg === '.') continue;
    if (seg === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, seg);
    if (existing && exists(next)) {
      current = fs.realpathSync(next);
    } else {
      existing = false;
      current = next;
    }
  }
  return current;
}

function fold(p: string, caseInsensitive: boolean): string {
  return caseInsensitive ? p.toLowerCase() : p;
}

/** Segment-wise containment: `/w/app_evil` is not inside `/w/app`. */
export function isInside(root: string, p: string, caseInsensitive = false): boolean {
  const rel = path.relative(fold(root, caseInsensitive), fold(p, caseInsensitive));
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

const realRootCache = new Map<string, string>();

export function realRoot(root: string): string {
  let real = realRootCache.get(root);
  if (real === undefined) {
    real = realPathOf(path.resolve(root));
    realRootCache.set(root, real);
  }
  return real;
}

/**
 * Resolves `p` (absolute, or relative to `cwd`, default the first root) to its real path and the root containing it.
 * The deepest containing root wins when roots nest.
 */
export function resolveForPolicy(roots: readonly string[], p: string, options: { cwd?: string; caseInsensitive?: boolean } = {}): ResolvedPath {
  if (typeof p !== 'string' || p === '') return { ok: false, reason: 'the path is empty' };
  const suspicious = suspiciousPathReason(p);
  if (suspicious) return { ok: false, reason: `the path ${suspicious}` };
  const base = options.cwd ?? roots[0];
  if (!path.isAbsolute(p) && base === undefined) return { ok: false, reason: 'a relative path with no workspace root' };
  let absolute: string;
  try {
    // Concatenated, not path.join'ed: join would fold `link/..` lexically before the symlink is seen.
    absolute = realPathOf(path.isAbsolute(p) ? p : `${base!}${path.sep}${p}`);
  } catch (e) {
    return { ok: false, reason: `the path cannot be resolved (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  const ci = options.caseInsensitive ?? false;
  let best: string | undefined;
  for (const r of roots) {
    const real = realRoot(r);
    if (isInside(real, absolute, ci) && (best === undefined || real.length > best.length)) best = real;
  }
  if (best === undefined) return { ok: true, absolute, root: undefined, relative: undefined };
  // Sliced rather than path.relative'd so that a case-folded match keeps the path's own spelling.
  const relative = fold(absolute, ci) === fold(best, ci) ? '' : absolute.slice(best.endsWith(path.sep) ? best.length : best.length + 1);
  return { ok: true, absolute, root: best, relative: relative.split(path.sep).join('/') };
}

/** The two calls the probe needs, so tests can stand in for a case-insensitive file system. */
export interface CaseProbeFs {
  readdir(dir: string): string[];
  /** Device and inode, following symlinks; throws when the name does not exist. */
  stat(p: string): { dev: number; ino: number };
}

const realProbeFs: CaseProbeFs = { readdir: (d) => fs.readdirSync(d), stat: (p) => fs.statSync(p) };

function swapCase(name: string): string {
  return Array.from(name, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** Same file under both spellings: insensitive. The other spelling missing, or a different file: sensitive. */
function probe(fsx: CaseProbeFs, dir: string, name: string): boolean | undefined {
  const swapped = swapCase(name);
  if (swapped === name) return undefined;
  let a: { dev: number; ino: number };
  try {
    a = fsx.stat(path.join(dir, name));
  } catch {
    return undefined;
  }
  try {
    const b = fsx.stat(path.join(dir, swapped));
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

/**
 * Whether names in `dir` compare without case (WSL's /mnt/c, exFAT, SMB, macOS by default, ext4 casefold folders):
 * looks up an existing entry of `dir` with its case changed and compares what comes back. Case sensitivity belongs to
 * a file system, and with ext4 casefold to one folder, so it is probed per directory — swapping the case of a whole
 * path (which then does not exist) is what made `.ENV` slip past `**\/.env` before. With no entry to probe, the
 * folder's own name is probed in its parent; with nothing at all, the platform's usual default.
 */
export function detectCaseInsensitive(dir: string, fsx: CaseProbeFs = realProbeFs): boolean {
  let names: string[] = [];
  try {
    names = fsx.readdir(dir);
  } catch {
    // unreadable: probe the folder's own name below
  }
  const present = new Set(names);
  for (const name of names.slice(0, 64)) {
    // Both spellings listed: certainly case-sensitive.
    if (present.has(swapCase(name)) && swapCase(name) !== name) return false;
    const found = probe(fsx, dir, name);
    if (found !== undefined) return found;
  }
  const parent = path.dirname(dir);
  if (parent !== dir) {
    const found = probe(fsx, parent, path.basename(dir));
    if (found !== undefined) return found;
  }
  return process.platform === 'win32' || process.platform === 'darwin';
}

const MAX_CACHED_DIRS = 4096;
const caseCache = new Map<string, boolean>();

/**
 * Whether a path's own directory (the deepest one that exists) ignores case; remembered per directory, since every
 * decision asks.
 */
export function caseInsensitiveAt(absolute: string, fsx: CaseProbeFs = realProbeFs): boolean {
  let dir = absolute;
  for (;;) {
    try {
      if (fs.statSync(dir).isDirectory()) break;
    } catch {
      // missing: go up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (fsx !== realProbeFs) return detectCaseInsensitive(dir, fsx);
  let known = caseCache.get(dir);
  if (known === undefined) {
    if (caseCache.size >= MAX_CACHED_DIRS) caseCache.clear();
    known = detectCaseInsensitive(dir);
    caseCache.set(dir, known);
  }
  return known;
}
