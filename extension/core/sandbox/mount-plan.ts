// Turns a profile into concrete paths on this machine: which existing files and directories to hide, which to make
// read-only, which protected names are absent (and get an empty read-only placeholder for the run), which system and
// toolchain directories exist. Hidden means hidden by the mount, not by permissions (root reads anything): a denied
// file gets an unreadable empty file bound over it, a denied directory an unreadable empty directory. A hard link to
// a denied file is found by device+inode and hidden too; a symlink needs nothing, it resolves to the hidden target.
//
// The workspace walk is cached per directory (keyed by the directory's mtime and inode), so a command in an unchanged
// tree costs one lstat per directory, not one per file.
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { compileGlob, matchGlob, type CompiledGlob } from '../policy/glob.js';
import { isInside } from '../policy/paths.js';
import type { SandboxProfile } from './profile.js';

export class SandboxPlanError extends Error {
  override name = 'SandboxPlanError';
}

export interface MountPlan {
  profile: SandboxProfile;
  systemDirs: string[];
  allowDirs: string[];
  /** Outside the workspace, read-only (bound after the home is emptied). */
  readPaths: string[];
  hiddenFiles: string[];
  hiddenDirs: string[];
  readOnlyFiles: string[];
  readOnlyDirs: string[];
  /** Protected names that do not exist yet: the mount creates an empty placeholder, removed after the run. */
  absentProtected: { path: string; dir: boolean }[];
  /** Workspace-relative spellings of what is hidden, for describing a denial to the model. */
  hiddenRelative: string[];
}

interface DirEntry {
  name: string;
  kind: 'dir' | 'file' | 'link' | 'other';
  dev: number;
  ino: number;
  nlink: number;
}

interface CachedDir {
  mtimeMs: number;
  ino: number;
  entries: DirEntry[];
}

/** Enough for large monorepos; beyond it the plan fails closed rather than run with secrets it never looked for. */
export const MAX_WALK_ENTRIES = 400_000;
/** Content-addressed: names are hashes no rule can match, and there are many of them. */
const WALK_SKIP = new Set(['.git/objects', '.git/lfs/objects']);

const dirCache = new Map<string, CachedDir>();

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function readDirCached(abs: string, st: Stats): DirEntry[] {
  const cached = dirCache.get(abs);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.ino === st.ino) return cached.entries;
  const entries: DirEntry[] = [];
  let names: import('node:fs').Dirent[];
  try {
    names = readdirSync(abs, { withFileTypes: true });
  } catch {
    return [];
  }
  for (const d of names) {
    if (d.isDirectory()) {
      entries.push({ name: d.name, kind: 'dir', dev: 0, ino: 0, nlink: 1 });
      continue;
    }
    const s = lstatOrUndefined(join(abs, d.name));
    if (!s) continue;
    const kind = s.isSymbolicLink() ? 'link' : s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
    entries.push({ name: d.name, kind, dev: s.dev, ino: s.ino, nlink: s.nlink });
  }
  dirCache.set(abs, { mtimeMs: st.mtimeMs, ino: st.ino, entries });
  return entries;
}

interface DirVerdicts {
  entries: number;
  hidden: { abs: string; rel: string; dir: boolean; key?: string }[];
  secretNamedLinks: { abs: string; rel: string }[];
  linked: { abs: string; rel: string; k: string }[];
  readOnly: { abs: string; dir: boolean }[];
  subdirs: { abs: string; rel: string }[];
}

/**
 * What the globs say about one directory's entries, cached with the listing: matching every entry against every
 * hidden glob is most of a plan's cost, and it only changes when the directory does (or the profile: a new runner).
 */
const verdictCache = new WeakMap<SandboxProfile, Map<string, { mtimeMs: number; ino: number; v: DirVerdicts }>>();

function verdictsFor(profile: SandboxProfile, abs: string, rel: string, st: Stats, hiddenGlobs: CompiledGlob[], readOnlyGlobs: CompiledGlob[]): DirVerdicts {
  let byDir = verdictCache.get(profile);
  if (!byDir) verdictCache.set(profile, (byDir = new Map()));
  const cached = byDir.get(abs);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.ino === st.ino) return cached.v;
  const nocase = profile.caseInsensitive;
  const v: DirVerdicts = { entries: 0, hidden: [], secretNamedLinks: [], linked: [], readOnly: [], subdirs: [] };
  for (const e of readDirCached(abs, st)) {
    v.entries++;
    const childAbs = join(abs, e.name);
    const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.kind === 'link') {
      if (covers(hiddenGlobs, childRel, childAbs, false, nocase)) v.secretNamedLinks.push({ abs: childAbs, rel: childRel });
      continue;
    }
    if (covers(hiddenGlobs, childRel, childAbs, e.kind === 'dir', nocase)) {
      v.hidden.push({ abs: childAbs, rel: childRel, dir: e.kind === 'dir', ...(e.kind === 'file' ? { key: key(e.dev, e.ino) } : {}) });
      continue;
    }
    if (e.kind === 'file' && e.nlink > 1) v.linked.push({ abs: childAbs, rel: childRel, k: key(e.dev, e.ino) });
    if (covers(readOnlyGlobs, childRel, childAbs, e.kind === 'dir', nocase)) v.readOnly.push({ abs: childAbs, dir: e.kind === 'dir' });
    if (e.kind === 'dir' && !WALK_SKIP.has(childRel)) v.subdirs.push({ abs: childAbs, rel: childRel });
  }
  byDir.set(abs, { mtimeMs: st.mtimeMs, ino: st.ino, v });
  return v;
}

/** A directory is covered by a glob when it matches, or when anything directly inside it would (`dir/**`). */
function covers(globs: CompiledGlob[], rel: string, abs: string, isDir: boolean, nocase: boolean): boolean {
  const target = { relative: rel, absolute: abs };
  if (globs.some((g) => matchGlob(g, target, nocase))) return true;
  if (!isDir) return false;
  const inside = { relative: `${rel}/\u0001`, absolute: `${abs}/\u0001` };
  return globs.some((g) => matchGlob(g, inside, nocase));
}

const compiled = new Map<string, CompiledGlob>();

function compileAll(patterns: readonly string[]): CompiledGlob[] {
  return patterns.map((p) => {
    let g = compiled.get(p);
    if (!g) compiled.set(p, (g = compileGlob(p)));
    return g;
  });
}

const key = (dev: number, ino: number) => `${dev}:${ino}`;

/** Device+inode of every denied file the home directory holds (~/.ssh, ~/.aws, top-level dotfiles), for hard links. */
function secretInodes(profile: SandboxProfile, hidden: CompiledGlob[]): Set<string> {
  const out = new Set<string>();
  let budget = 5000;
  const visit = (abs: string, rel: string, depth: number) => {
    const st = lstatOrUndefined(abs);
    if (!st || budget-- <= 0) return;
    if (st.isFile()) {
      if (covers(hidden, rel, abs, false, profile.caseInsensitive)) out.add(key(st.dev, st.ino));
      return;
    }
    if (!st.isDirectory() || depth > 4) return;
    let names: string[];
    try {
      names = readdirSync(abs);
    } catch {
      return;
    }
    for (const n of names) visit(join(abs, n), `${rel}/${n}`, depth + 1);
  };
  for (const dir of profile.secretScanDirs) visit(dir, dir.slice(profile.home.length + 1), 0);
  // Top-level files of the home directory: ~/.netrc, ~/.npmrc, ~/.git-credentials, ~/.pgpass ...
  let top: string[] = [];
  try {
    top = readdirSync(profile.home);
  } catch {
    // no home directory: nothing to collect
  }
  for (const n of top) {
    const abs = join(profile.home, n);
    const st = lstatOrUndefined(abs);
    if (st?.isFile() && covers(hidden, n, abs, false, profile.caseInsensitive)) out.add(key(st.dev, st.ino));
  }
  for (const abs of profile.hiddenAbsolute) {
    const st = lstatOrUndefined(abs);
    if (st?.isFile()) out.add(key(st.dev, st.ino));
  }
  return out;
}

function existingDirs(paths: readonly string[]): string[] {
  return paths.filter((p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  });
}

export function planMounts(profile: SandboxProfile): MountPlan {
  const hiddenGlobs = compileAll(profile.hiddenGlobs);
  const readOnlyGlobs = compileAll(profile.readOnlyGlobs);
  const plan: MountPlan = {
    profile,
    systemDirs: existingDirs(profile.systemReadOnly),
    allowDirs: existingDirs(profile.allowPaths).filter((d) => !profile.workspaceRoots.some((r) => isInside(d, r) || isInside(r, d))),
    hiddenFiles: [],
    hiddenDirs: [],
    readOnlyFiles: [],
    readOnlyDirs: [],
    readPaths: existingPaths(profile.readPaths).filter((d) => !profile.workspaceRoots.some((r) => isInside(r, d))),
    absentProtected: [],
    hiddenRelative: [],
  };
  // A worktree task's repository: objects, refs and its worktree's index writable, so git works; what makes git run
  // programs or look elsewhere (config, hooks, info, every worktree's gitdir/commondir links) read-only.
  for (const gitDir of existingDirs(profile.gitDirs)) {
    if (profile.workspaceRoots.some((r) => isInside(gitDir, r) || isInside(r, gitDir))) continue;
    plan.allowDirs.push(gitDir);
    protectGitDir(gitDir, plan);
  }
  const secrets = secretInodes(profile, hiddenGlobs);
  const hide = (abs: string, rel: string, dir: boolean) => {
    (dir ? plan.hiddenDirs : plan.hiddenFiles).push(abs);
    plan.hiddenRelative.push(rel);
  };
  // Files seen with more than one link, checked against the secret inodes once the walk has collected them all.
  const linked: { abs: string; rel: string; k: string }[] = [];
  let seen = 0;

  for (const root of profile.workspaceRoots) {
    const walkDir = (abs: string, rel: string, st: Stats) => {
      const v = verdictsFor(profile, abs, rel, st, hiddenGlobs, readOnlyGlobs);
      seen += v.entries;
      if (seen > MAX_WALK_ENTRIES) {
        throw new SandboxPlanError(`the workspace has more than ${MAX_WALK_ENTRIES} entries; the sandbox cannot check them all for files to hide`);
      }
      for (const h of v.hidden) {
        hide(h.abs, h.rel, h.dir);
        if (h.key !== undefined) secrets.add(h.key);
      }
      for (const l of v.secretNamedLinks) {
        // The link resolves at use to whatever it names; a link whose own name is denied needs its target hidden (a
        // bind cannot cover a symlink), and only when that target is somewhere the sandbox shows.
        let target: string | undefined;
        try {
          target = realpathSync(l.abs);
        } catch {
          target = undefined;
        }
        if (target !== undefined && profile.workspaceRoots.some((r) => isInside(r, target))) {
          const ts = lstatOrUndefined(target);
          if (ts) hide(target, l.rel, ts.isDirectory());
        }
      }
      linked.push(...v.linked);
      for (const r of v.readOnly) (r.dir ? plan.readOnlyDirs : plan.readOnlyFiles).push(r.abs);
      for (const d of v.subdirs) {
        const cs = lstatOrUndefined(d.abs);
        if (cs?.isDirectory()) walkDir(d.abs, d.rel, cs);
      }
    };
    const rootStat = lstatOrUndefined(root);
    if (!rootStat?.isDirectory()) throw new SandboxPlanError(`the workspace root ${root} is not a directory`);
    walkDir(root, '', rootStat);

    // No repository yet: an empty read-only `.git` keeps a command from creating one with hooks of its own. A `.git`
    // file (a worktree's pointer) is protected like `.git/config`.
    const git = lstatOrUndefined(join(root, '.git'));
    if (!git) plan.absentProtected.push({ path: join(root, '.git'), dir: true });
    else if (git.isFile()) plan.readOnlyFiles.push(join(root, '.git'));
    for (const p of profile.protectedPaths) {
      const abs = join(root, p.path);
      const st = lstatOrUndefined(abs);
      if (st?.isSymbolicLink()) {
        // A protected name that is a symlink: protect what it points at inside the workspace, or hide it.
        let target: string | undefined;
        try {
          target = realpathSync(abs);
        } catch {
          target = undefined;
        }
        if (target !== undefined && isInside(root, target)) {
          const ts = statSync(target);
          (ts.isDirectory() ? plan.readOnlyDirs : plan.readOnlyFiles).push(target);
        }
        continue;
      }
      if (st) {
        (st.isDirectory() ? plan.readOnlyDirs : plan.readOnlyFiles).push(abs);
        continue;
      }
      // Absent: a placeholder keeps it from being created. Inside `.git` only when `.git` is a directory.
      const parent = p.path.includes('/') ? join(root, p.path.slice(0, p.path.lastIndexOf('/'))) : root;
      if (lstatOrUndefined(parent)?.isDirectory()) plan.absentProtected.push({ path: abs, dir: p.dir });
    }
    if (git?.isDirectory()) protectSubmoduleGitDirs(join(root, '.git', 'modules'), plan, 0);
  }
  for (const l of linked) if (secrets.has(l.k)) hide(l.abs, l.rel, false);
  for (const abs of profile.hiddenAbsolute) {
    const st = lstatOrUndefined(abs);
    if (st && !st.isSymbolicLink()) (st.isDirectory() ? plan.hiddenDirs : plan.hiddenFiles).push(abs);
  }
  return plan;
}

function protectGitDir(gitDir: string, plan: MountPlan): void {
  for (const [sub, isDir] of [
    ['config', false],
    ['hooks', true],
    ['info', true],
  ] as const) {
    const abs = join(gitDir, sub);
    const st = lstatOrUndefined(abs);
    if (st && !st.isSymbolicLink()) (st.isDirectory() ? plan.readOnlyDirs : plan.readOnlyFiles).push(abs);
    else if (!st && isDir) plan.absentProtected.push({ path: abs, dir: true });
  }
  const worktrees = join(gitDir, 'worktrees');
  let names: string[] = [];
  try {
    names = readdirSync(worktrees);
  } catch {
    names = [];
  }
  for (const name of names) {
    for (const link of ['commondir', 'gitdir', 'config.worktree']) {
      const abs = join(worktrees, name, link);
      if (lstatOrUndefined(abs)?.isFile()) plan.readOnlyFiles.push(abs);
    }
  }
  protectSubmoduleGitDirs(join(gitDir, 'modules'), plan, 0);
}

function existingPaths(paths: readonly string[]): string[] {
  return paths.filter((p) => lstatOrUndefined(p) !== undefined);
}

/**
 * Submodules keep their git directories under `.git/modules/NAME` (nested ones under `.../modules/NAME/modules/...`),
 * each with its own config and hooks that git on the host uses inside the submodule: protected like `.git/config`.
 */
function protectSubmoduleGitDirs(modules: string, plan: MountPlan, depth: number): void {
  if (depth > 8 || !lstatOrUndefined(modules)?.isDirectory()) return;
  let names: string[];
  try {
    names = readdirSync(modules);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(modules, name);
    if (!lstatOrUndefined(dir)?.isDirectory()) continue;
    if (lstatOrUndefined(join(dir, 'HEAD'))) {
      for (const [sub, isDir] of [
        ['config', false],
        ['hooks', true],
        ['info', true],
      ] as const) {
        const abs = join(dir, sub);
        const st = lstatOrUndefined(abs);
        if (st && !st.isSymbolicLink()) (st.isDirectory() ? plan.readOnlyDirs : plan.readOnlyFiles).push(abs);
        else if (!st && isDir) plan.absentProtected.push({ path: abs, dir: true });
      }
      protectSubmoduleGitDirs(join(dir, 'modules'), plan, depth + 1);
    } else {
      // A submodule named `a/b` lives at `.git/modules/a/b`.
      protectSubmoduleGitDirs(dir, plan, depth + 1);
    }
  }
}

/** For tests: forget the cached directory listings. */
export function clearPlanCache(): void {
  dirCache.clear();
}
