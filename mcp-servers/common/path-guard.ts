// Every path a tool receives goes through here. Paths are hostile: the guard resolves symlinks with realpath (the
// deepest existing ancestor for files that do not exist yet) and refuses anything whose real location is not
// inside the real root. Comparing real paths, with a separator, defeats `..`, absolute paths, symlinks pointing
// out and sibling-prefix tricks (`/w/app` vs `/w/app_evil`). A path resolved here can still change before it is
// opened, so reads go through `openRead`, which opens without following a final symlink, asks the kernel what was
// really opened (/proc/self/fd), and decides again on that (use-policy.ts): deny at use, not only at decision.
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { createUsePolicy, READ_FLAGS, type UsePolicy } from './use-policy.js';
import { isAbsolute, join, relative, resolve, sep, dirname, basename } from 'node:path';

export class PathGuardError extends Error {
  override name = 'PathGuardError';
}

export interface GuardedPath {
  /** Real absolute path (symlinks resolved as far as the path exists). */
  abs: string;
  /** Workspace-relative, forward slashes; '.' for the root itself. */
  rel: string;
  /** Whether the full path exists. */
  exists: boolean;
}

export interface PathGuard {
  readonly root: string;
  resolve(requested: string): Promise<GuardedPath>;
  /** The workspace-relative form of an absolute path already known to be inside the root. */
  toRelative(abs: string): string;
  /**
   * Opens a resolved file for reading and checks what was really opened: inside the root, not denied by the rules,
   * not a hard link to a denied file. The caller closes the handle.
   */
  openRead(target: GuardedPath): Promise<FileHandle>;
  /** Whether a listing or search may mention this entry (a denied file is left out without a word). */
  visible(abs: string, isDir: boolean): boolean;
}

export interface PathGuardOptions {
  /** The rules to decide at use; the default denies only when omitted. */
  policy?: UsePolicy;
}

export function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return candidate.startsWith(prefix);
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

async function realpathOrMissing(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The path the kernel holds for an open file; a rename after opening shows here too. */
async function openedPath(handle: FileHandle, requested: string): Promise<string> {
  if (process.platform === 'linux') return readlink(`/proc/self/fd/${handle.fd}`);
  // Elsewhere: the real path now must be the file that is open (same device and inode).
  const real = await realpath(requested);
  const [held, named] = await Promise.all([handle.stat(), stat(real)]);
  if (held.ino !== named.ino || held.dev !== named.dev) throw new PathGuardError(`${requested} changed while it was being opened`);
  return real;
}

export async function createPathGuard(rootDir: string, options: PathGuardOptions = {}): Promise<PathGuard> {
  const root = await realpath(rootDir).catch(() => {
    throw new PathGuardError(`workspace root ${JSON.stringify(rootDir)} does not exist`);
  });
  let policy = options.policy;
  const use = (): UsePolicy => (policy ??= createUsePolicy(root, undefined));

  async function openRead(target: GuardedPath): Promise<FileHandle> {
    let handle: FileHandle;
    try {
      handle = await open(target.abs, READ_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new PathGuardError(`${target.rel} became a symlink after it was checked; not read`);
      if (code === 'ENOENT') throw new PathGuardError(`${target.rel} does not exist`);
      throw new PathGuardError(`cannot open ${target.rel}: ${code ?? (error as Error).message}`);
    }
    try {
      const opened = await openedPath(handle, target.abs);
      if (!isInside(root, opened)) throw new PathGuardError(`${target.rel} was swapped for a path outside the workspace root after it was checked; not read`);
      const denied = use().deniedRead(opened, await handle.stat());
      if (denied) {
        throw new PathGuardError(`Denied by the permission rules (${denied.rule}): ${denied.reason}. Do not try to get around this rule.`);
      }
      // Decided on `opened`; if the name moved meanwhile, the decision may have been about another file.
      if ((await openedPath(handle, target.abs)) !== opened) throw new PathGuardError(`${target.rel} moved while it was being checked; not read`);
      return handle;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  const toRelative = (abs: string): string => toPosix(relative(root, abs)) || '.';

  async function resolvePath(requested: string): Promise<GuardedPath> {
    if (typeof requested !== 'string' || requested.length === 0) throw new PathGuardError('path is empty');
    if (requested.includes('\0')) throw new PathGuardError('path contains a NUL byte');
    if (isAbsolute(requested)) {
      throw new PathGuardError(`absolute paths are not allowed: ${JSON.stringify(requested)}; give a path relative to the workspace root`);
    }
    const lexical = resolve(root, requested);
    if (!isInside(root, lexical)) {
      throw new PathGuardError(`path ${JSON.stringify(requested)} is outside the workspace root`);
    }
    const real = await realpathOrMissing(lexical);
    if (real !== undefined) {
      if (!isInside(root, real)) {
        throw new PathGuardError(`path ${JSON.stringify(requested)} resolves (through a symlink) to a location outside the workspace root`);
      }
      return { abs: real, rel: toRelative(real), exists: true };
    }
    // The path does not exist: check where its deepest existing ancestor really is, then re-attach the missing tail.
    const missing: string[] = [];
    let cursor = lexical;
    for (;;) {
      missing.unshift(basename(cursor));
      const parent = dirname(cursor);
      if (parent === cursor) throw new PathGuardError(`no existing ancestor for ${JSON.stringify(requested)}`);
      cursor = parent;
      const realParent = await realpathOrMissing(cursor);
      if (realParent === undefined) continue;
      if (!isInside(root, realParent)) {
        throw new PathGuardError(`path ${JSON.stringify(requested)} would be created through a symlink that leads outside the workspace root`);
      }
      const abs = join(realParent, ...missing);
      return { abs, rel: toRelative(abs), exists: false };
    }
  }

  return { root, resolve: resolvePath, toRelative, openRead, visible: (abs, isDir) => use().visible(abs, isDir) };
}
