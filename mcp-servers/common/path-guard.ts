// Every path a tool receives goes through here. Paths are hostile: the guard resolves symlinks with realpath (the
// deepest existing ancestor for files that do not exist yet) and refuses anything whose real location is not
// inside the real root. Comparing real paths, with a separator, defeats `..`, absolute paths, symlinks pointing
// out and sibling-prefix tricks (`/w/app` vs `/w/app_evil`).
import { realpath } from 'node:fs/promises';
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

export async function createPathGuard(rootDir: string): Promise<PathGuard> {
  const root = await realpath(rootDir).catch(() => {
    throw new PathGuardError(`workspace root ${JSON.stringify(rootDir)} does not exist`);
  });
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

  return { root, resolve: resolvePath, toRelative };
}
