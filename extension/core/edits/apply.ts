// Applies a change set to the file system all-or-nothing: verify every file (inside the root after real-path
// resolution, allowed by policy, unchanged since the proposal), stage every new content in a temp file, then rename
// them into place. A failure while renaming restores the files already replaced from in-memory backups, so the
// workspace ends either unchanged or fully applied.
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { EditApplier } from '../ports.js';
import { realPathOf, resolveForPolicy } from '../policy/paths.js';
import type { PolicyEngine } from '../policy/types.js';
import { fsyncDirectory, writeFileAtomic, writeTempFile } from './atomic-write.js';
import { sha256Hex } from './hash.js';
import type { ApplyResult, ChangeSet, FileChange } from './types.js';

/** The file operations the applier performs during the commit phase; tests inject failures here. */
export interface ApplyFileOps {
  rename(from: string, to: string): Promise<void>;
  unlink(target: string): Promise<void>;
}

export interface FsEditApplierOptions {
  policy?: PolicyEngine;
  /** All workspace roots (for multi-root workspaces); defaults to `[workspaceRoot]`. */
  roots?: string[];
  fileOps?: Partial<ApplyFileOps>;
}

interface Planned {
  change: FileChange;
  target: string;
  /** Bytes and mode before the change, or undefined when the file did not exist. */
  backup: { content: Buffer; mode: number } | undefined;
  temp?: string;
}

class ApplyError extends Error {
  constructor(
    message: string,
    readonly conflicts: string[] = [],
  ) {
    super(message);
  }
}

async function readExisting(target: string): Promise<{ content: Buffer; mode: number } | undefined> {
  try {
    const stat = await fsp.lstat(target);
    if (!stat.isFile()) throw new ApplyError(`\`${target}\` is not a regular file`);
    return { content: await fsp.readFile(target), mode: stat.mode & 0o7777 };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Deleting `link` by its resolved path would delete the link's target instead; rather than guess which one was meant,
 * a deletion whose last segment is a symbolic link is refused. (Directories above it may be links: they are resolved.)
 */
function refuseSymlinkDeletion(root: string, relative: string): void {
  const parent = realPathOf(`${root}${path.sep}${path.dirname(relative)}`);
  let isLink = false;
  try {
    isLink = fs.lstatSync(path.join(parent, path.basename(relative))).isSymbolicLink();
  } catch {
    isLink = false;
  }
  if (isLink) throw new ApplyError(`\`${relative}\` is a symbolic link; deleting links through a change set is not supported`);
}

export function createFsEditApplier(workspaceRoot: string, options: FsEditApplierOptions = {}): EditApplier {
  const roots = options.roots ?? [workspaceRoot];
  const ops: ApplyFileOps = {
    rename: options.fileOps?.rename ?? ((a, b) => fsp.rename(a, b)),
    unlink: options.fileOps?.unlink ?? ((p) => fsp.unlink(p)),
  };

  /** Resolves a change's path to its real target inside a root, or throws naming why not. */
  function resolveTarget(change: FileChange): string {
    if (typeof change.path !== 'string' || change.path === '' || path.isAbsolute(change.path) || /^[A-Za-z]:/.test(change.path)) {
      throw new ApplyError(`\`${change.path}\` is not a workspace-relative path`);
    }
    const resolved = resolveForPolicy(roots, change.path, { cwd: workspaceRoot });
    if (!resolved.ok) throw new ApplyError(`\`${change.path}\`: ${resolved.reason}`);
    if (resolved.root === undefined || resolved.relative === '') {
      throw new ApplyError(`\`${change.path}\` resolves to \`${resolved.absolute}\`, outside the workspace`);
    }
    return resolved.absolute;
  }

  async function verify(changeSet: ChangeSet): Promise<Planned[]> {
    if (!changeSet || !Array.isArray(changeSet.files) || changeSet.files.length === 0) {
      throw new ApplyError('the change set has no files');
    }
    const planned: Planned[] = [];
    const seen = new Set<string>();
    const conflicts: string[] = [];
    for (const change of changeSet.files) {
      const target = resolveTarget(change);
      if (seen.has(target)) throw new ApplyError(`\`${change.path}\` appears twice in the change set`);
      seen.add(target);
      if (change.newContent === null) refuseSymlinkDeletion(workspaceRoot, change.path);
      if (options.policy) {
        // Only a deny stops the set here: an ask was answered by the approval that led to this apply.
        const d = options.policy.decide({ kind: 'write', path: target });
        if (d.decision === 'deny') throw new ApplyError(`writing \`${change.path}\` is denied (${d.rule}): ${d.reason}`);
      }
      const backup = await readExisting(target);
      const current = backup ? sha256Hex(backup.content) : null;
      if (current !== change.baseHash) conflicts.push(change.path);
      planned.push({ change, target, backup });
    }
    if (conflicts.length > 0) {
      throw new ApplyError(`${conflicts.length} file(s) changed on disk since the change was proposed: ${conflicts.join(', ')}`, conflicts);
    }
    return planned;
  }

  async function stage(planned: Planned[], createdDirs: string[]): Promise<void> {
    for (const p of planned) {
      if (p.change.newContent === null) continue;
      const dir = path.dirname(p.target);
      const made = await fsp.mkdir(dir, { recursive: true });
      if (made) createdDirs.push(made);
      p.temp = await writeTempFile(p.target, p.change.newContent, p.backup?.mode);
    }
  }

  /** Re-resolves at the moment of use: a symlink swapped in since verification must not redirect the write. */
  function recheck(p: Planned): void {
    if (resolveTarget(p.change) !== p.target) throw new ApplyError(`\`${p.change.path}\` changed where it points during the apply`);
  }

  async function commit(planned: Planned[]): Promise<void> {
    const done: Planned[] = [];
    try {
      for (const p of planned) {
        recheck(p);
        if (p.change.newContent === null) {
          if (p.backup) await ops.unlink(p.target);
        } else {
          await ops.rename(p.temp!, p.target);
          p.temp = undefined;
        }
        done.push(p);
      }
    } catch (e) {
      const failures = await rollback(done);
      const restored = failures.length === 0 ? 'the workspace was restored' : `restoring failed for ${failures.join(', ')}`;
      throw new ApplyError(`applying failed (${(e as Error).message}); ${restored}`);
    }
  }

  async function rollback(done: Planned[]): Promise<string[]> {
    const failures: string[] = [];
    for (const p of [...done].reverse()) {
      try {
        if (p.backup) await writeFileAtomic(p.target, p.backup.content, { mode: p.backup.mode });
        else await fsp.unlink(p.target).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
      } catch {
        failures.push(p.change.path);
      }
    }
    return failures;
  }

  async function cleanup(planned: Planned[], createdDirs: string[]): Promise<void> {
    for (const p of planned) if (p.temp) await fsp.unlink(p.temp).catch(() => undefined);
    // Only directories this apply created, deepest first, and only if empty.
    for (const dir of [...createdDirs].reverse()) await removeEmptyTree(dir);
  }

  return {
    async apply(changeSet: ChangeSet): Promise<ApplyResult> {
      const createdDirs: string[] = [];
      let planned: Planned[] = [];
      try {
        planned = await verify(changeSet);
        await stage(planned, createdDirs);
        await commit(planned);
      } catch (e) {
        await cleanup(planned, createdDirs);
        if (e instanceof ApplyError) return { ok: false, error: e.message, conflicts: e.conflicts };
        return { ok: false, error: `applying failed: ${(e as Error).message}`, conflicts: [] };
      }
      const dirs = new Set(planned.map((p) => path.dirname(p.target)));
      for (const dir of dirs) await fsyncDirectory(dir).catch(() => undefined);
      return { ok: true, files: planned.map((p) => p.change.path) };
    },
  };
}

/**
 * Removes `top` and the directories under it, bottom-up, where empty. `top` is what `mkdir -p` reported as the first
 * directory it created, so everything under it was created by this apply.
 */
async function removeEmptyTree(top: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    let entries: string[];
    try {
      entries = await fsp.readdir(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const child = path.join(dir, e);
      if ((await fsp.lstat(child).catch(() => undefined))?.isDirectory()) await walk(child);
    }
    await fsp.rmdir(dir).catch(() => undefined);
  };
  await walk(top);
}
