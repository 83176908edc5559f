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
  const segments = absolute.slice(parsed.root.length).split(/[\\/]+/).filter((s) => s !== '');
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
export function resolveForPolicy(
  roots: readonly string[],
  p: string,
  options: { cwd?: string; caseInsensitive?: boolean } = {},
): ResolvedPath {
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

/**
 * Whether the file system under `dir` ignores case: compares the directory with its case-swapped spelling. Falls
 * back to the platform's usual default when the path has no letters to swap.
 */
export function detectCaseInsensitive(dir: string): boolean {
  const swapped = Array.from(dir, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  if (swapped === dir) return process.platform === 'win32' || process.platform === 'darwin';
  try {
    const a = fs.statSync(dir);
    const b = fs.statSync(swapped);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}
