// `tiller run --worktree`: the task gets its own worktree and branch (core/worktrees), runs there with the base tree's
// configuration, is committed on its branch at the end, and the user's tree is left as it was. Several such runs at
// once are separate processes; a limit on how many are live at a time holds across them (TILLER_TASKS_MAX_CONCURRENT,
// default 3, counted from the task records whose process is alive, under a lock so two starts cannot both slip in).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock } from '../core/storage/file-lock.js';
import {
  commitTask,
  createWorktreeTask,
  DirtyTreeError,
  isLive,
  listTaskRecords,
  readTaskRecord,
  updateTaskRecord,
  worktreesHome,
  WorktreeUnavailableError,
  type TaskRecord,
} from '../core/worktrees/index.js';
import type { TaskOutcome } from '../core/agent/types.js';
import { UsageError } from './exit-codes.js';

export const DEFAULT_MAX_CONCURRENT_TASKS = 3;

export interface WorktreeStart {
  record: TaskRecord;
  /** The task as the model first reads it: the user's words and where it is working. */
  firstMessage: string;
  sandbox: { gitDirs: string[]; readPaths: string[] };
}

export function maxConcurrentTasks(env: NodeJS.ProcessEnv): number {
  const raw = env.TILLER_TASKS_MAX_CONCURRENT;
  if (raw === undefined || raw === '') return DEFAULT_MAX_CONCURRENT_TASKS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`TILLER_TASKS_MAX_CONCURRENT must be a whole number of at least 1, not ${JSON.stringify(raw)}`);
  return n;
}

export async function startWorktreeTask(options: {
  workspace: string;
  home: string;
  task: string;
  carryChanges: boolean | undefined;
  maxConcurrent: number;
  ask?: (question: string) => Promise<string | undefined>;
}): Promise<WorktreeStart> {
  let carry = options.carryChanges;
  const create = () =>
    createWorktreeTask({
      workspace: options.workspace,
      tillerHome: options.home,
      task: options.task,
      ...(carry !== undefined ? { carryChanges: carry } : {}),
      pid: process.pid,
    });
  mkdirSync(worktreesHome(options.home), { recursive: true, mode: 0o700 });
  const record = await withFileLock(
    join(worktreesHome(options.home), '.start'),
    async () => {
      const live = listTaskRecords(options.home).filter(isLive);
      if (live.length >= options.maxConcurrent) {
        throw new UsageError(
          `${live.length} worktree task${live.length === 1 ? ' is' : 's are'} already running (${live.map((r) => r.id).join(', ')}); the limit is ${options.maxConcurrent} ` +
            '(TILLER_TASKS_MAX_CONCURRENT). Wait for one to finish or stop one.',
        );
      }
      try {
        return await create();
      } catch (err) {
        if (err instanceof DirtyTreeError && options.ask) {
          const answer = (await options.ask(`${err.message}\nCarry your uncommitted changes into the task's worktree? [y/N] `))?.trim().toLowerCase();
          carry = answer === 'y' || answer === 'yes';
          return await create();
        }
        if (err instanceof DirtyTreeError || err instanceof WorktreeUnavailableError) throw new UsageError(err.message);
        throw err;
      }
    },
    { timeoutMs: 60_000, staleMs: 120_000 },
  );
  const linkedNote = record.linked.length
    ? ` ${record.linked.join(', ')} ${record.linked.length === 1 ? 'is' : 'are'} linked read-only from the base tree (${record.repoRoot}); install nothing into ${record.linked.length === 1 ? 'it' : 'them'}.`
    : '';
  const firstMessage =
    `${options.task}\n\n[Tiller: this task runs in its own git worktree at ${record.path} on the branch ${record.branch}, ` +
    `started from ${record.baseCommit.slice(0, 12)}${record.carried ? ' with the uncommitted changes carried over' : ''}. ` +
    `Your changes are committed on that branch when you finish and the user reviews them before they reach their tree.${linkedNote}]`;
  return { record, firstMessage, sandbox: sandboxFor(record) };
}

/** A task whose process stopped (Ctrl+C, a crash): continued in its own worktree from its session log. */
export function resumeWorktreeTask(home: string, id: string): WorktreeStart & { sessionPath: string } {
  let record: TaskRecord;
  try {
    record = readTaskRecord(home, id);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (isLive(record)) throw new UsageError(`task ${id} is still running (pid ${record.pid})`);
  if (record.state === 'applied' || record.state === 'discarded') throw new UsageError(`task ${id} was ${record.state}; there is nothing to resume`);
  if (!existsSync(record.path)) throw new UsageError(`task ${id} has no worktree any more (${record.path})`);
  if (record.sessionPath === undefined || !existsSync(record.sessionPath)) throw new UsageError(`task ${id} has no session log to resume from`);
  return { record, firstMessage: '', sandbox: sandboxFor(record), sessionPath: record.sessionPath };
}

function sandboxFor(record: TaskRecord): WorktreeStart['sandbox'] {
  return { gitDirs: [record.gitCommonDir], readPaths: record.linked.map((name) => join(record.repoRoot, name)) };
}

/** Running, with the paths a later `tiller tasks show` needs. */
export function markRunning(home: string, record: TaskRecord, paths: { tracePath: string; sessionPath: string }): TaskRecord {
  return updateTaskRecord(home, record.id, () => ({ state: 'running', pid: process.pid, ...paths }));
}

/** The end of the task: its work committed on its branch, the record saying how it went. */
export async function finishWorktreeTask(
  home: string,
  record: TaskRecord,
  outcome: TaskOutcome | undefined,
  options: { coAuthor?: string; interrupted: boolean },
): Promise<TaskRecord> {
  let commit: string | undefined;
  let files: string[] = [];
  let commitError: string | undefined;
  try {
    ({ commit, files } = await commitTask(record, options.coAuthor !== undefined ? { coAuthor: options.coAuthor } : {}));
  } catch (err) {
    commitError = `committing the task's changes failed: ${(err as Error).message}`;
  }
  const state: TaskRecord['state'] =
    options.interrupted || outcome?.status === 'cancelled' ? 'stopped' : outcome?.status === 'done' && !commitError ? 'done' : 'failed';
  const error = commitError ?? outcome?.error;
  return updateTaskRecord(home, record.id, () => ({
    state,
    endedAt: Date.now(),
    costUsd: outcome?.totals.costUsd ?? 0,
    steps: outcome?.totals.steps ?? 0,
    filesChanged: files,
    ...(commit !== undefined ? { commit } : {}),
    ...(outcome ? { summary: outcome.summary } : {}),
    ...(error !== undefined ? { error } : {}),
  }));
}
