// After a task: bring it back (apply), keep only its branch, discard it, prune the finished ones. Each step keeps
// git's own worktree list consistent (`git worktree prune`) and the task record says where the task stands.
import { existsSync, rmSync } from 'node:fs';
import { createFsEditApplier } from '../edits/apply.js';
import type { PolicyEngine } from '../policy/types.js';
import { taskChanges, uncommittedInTask, type TaskChanges } from './changes.js';
import { removeWorktree } from './create.js';
import { repoGit } from './git.js';
import { isLive, listTaskRecords, taskDir, updateTaskRecord, type TaskRecord } from './record.js';

export class TaskStateError extends Error {
  override name = 'TaskStateError';
}

export type ApplyTaskResult = { ok: true; files: string[]; changes: TaskChanges } | { ok: false; error: string; conflicts: string[]; changes?: TaskChanges };

function refuseLive(record: TaskRecord, what: string): void {
  if (isLive(record)) throw new TaskStateError(`task ${record.id} is still running (pid ${record.pid}); stop it before you ${what} it`);
}

/**
 * Brings the task's change set into the user's tree all-or-nothing. Refuses — writing nothing — when a file the task
 * changed no longer holds the base content in the user's tree, naming every such file.
 */
export async function applyTask(tillerHome: string, record: TaskRecord, options: { policy?: PolicyEngine } = {}): Promise<ApplyTaskResult> {
  refuseLive(record, 'apply');
  if (record.state === 'discarded') throw new TaskStateError(`task ${record.id} was discarded`);
  if (record.state === 'applied') throw new TaskStateError(`task ${record.id} was already applied`);
  if (existsSync(record.path)) {
    const pending = await uncommittedInTask(record);
    if (pending.length) {
      throw new TaskStateError(
        `task ${record.id} has work not committed on its branch (${pending.slice(0, 5).join(', ')}); resume it with \`tiller tasks resume ${record.id}\` or commit in ${record.path}`,
      );
    }
  }
  const changes = await taskChanges(record);
  if (changes.changeSet.files.length === 0) return { ok: false, error: `task ${record.id} changed nothing`, conflicts: [], changes };
  const applier = createFsEditApplier(record.repoRoot, options.policy ? { policy: options.policy } : {});
  const result = await applier.apply(changes.changeSet);
  if (!result.ok) return { ...result, changes };
  updateTaskRecord(tillerHome, record.id, () => ({ state: 'applied' }));
  // The branch stays (the user's history may want it); the work tree has done its job.
  await removeWorktree(record.repoRoot, record.path, record.branch, true).catch(() => undefined);
  return { ok: true, files: result.files, changes };
}

/** Removes the worktree, keeps the branch. */
export async function keepBranch(tillerHome: string, record: TaskRecord): Promise<void> {
  refuseLive(record, 'close');
  const git = repoGit(record.repoRoot);
  await git(['worktree', 'remove', '--force', '--force', record.path], { okCodes: [128] });
  rmSync(record.path, { recursive: true, force: true });
  await git(['worktree', 'prune']);
  updateTaskRecord(tillerHome, record.id, (r) => ({ state: r.state === 'running' || r.state === 'creating' || r.state === 'waiting' ? 'stopped' : r.state }));
}

/** Removes the worktree and the branch (`git worktree remove --force`, `git branch -D`, prune) and the task's folder. */
export async function discardTask(tillerHome: string, record: TaskRecord): Promise<void> {
  refuseLive(record, 'discard');
  await removeWorktree(record.repoRoot, record.path, record.branch, true);
  rmSync(taskDir(tillerHome, record.id), { recursive: true, force: true });
}

/**
 * Prunes finished tasks: applied or discarded ones lose their work tree, and a task whose branch is merged into the
 * user's HEAD loses work tree and branch (its commits are in the user's history). Returns the ids pruned.
 */
export async function pruneTasks(tillerHome: string, warn: (m: string) => void = () => undefined): Promise<string[]> {
  const pruned: string[] = [];
  for (const record of listTaskRecords(tillerHome, warn)) {
    if (isLive(record)) continue;
    try {
      const git = repoGit(record.repoRoot);
      const tip = await git(['rev-parse', '--verify', '-q', `refs/heads/${record.branch}`], { okCodes: [1] });
      const merged =
        tip.code === 0 && record.commit !== undefined && (await git(['merge-base', '--is-ancestor', record.commit, 'HEAD'], { okCodes: [1] })).code === 0;
      if (merged || record.state === 'discarded' || tip.code !== 0) {
        await removeWorktree(record.repoRoot, record.path, record.branch, existsSync(record.path));
        rmSync(taskDir(tillerHome, record.id), { recursive: true, force: true });
        pruned.push(record.id);
      } else if (record.state === 'applied' && existsSync(record.path)) {
        await keepBranch(tillerHome, record);
        pruned.push(record.id);
      }
    } catch (err) {
      warn(`task ${record.id}: ${(err as Error).message}`);
    }
  }
  return pruned;
}
