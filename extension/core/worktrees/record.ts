// The record of one worktree task, `$TILLER_HOME/worktrees/<id>/task.json`, beside its work tree
// (`$TILLER_HOME/worktrees/<id>/tree`). Written atomically (storage/atomic-sync.ts) so a crash leaves the previous
// version, never half of one; read with a schema so a damaged file is reported, not trusted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../storage/atomic-sync.js';

export const TASK_STATES = ['creating', 'running', 'waiting', 'done', 'failed', 'stopped', 'applied', 'discarded'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const taskRecordSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(/^[0-9a-f]{8}$/),
  branch: z.string(),
  /** The user's HEAD when the task started. */
  baseCommit: z.string(),
  /** Where the task's own work begins: the base commit, or the commit holding the carried-over changes. */
  startCommit: z.string(),
  /** The user's work tree (top level) the task came from. */
  repoRoot: z.string(),
  /** The repository's git common directory (`.git` of the main work tree). */
  gitCommonDir: z.string(),
  /** The task's work tree. */
  path: z.string(),
  state: z.enum(TASK_STATES),
  task: z.string(),
  carried: z.boolean(),
  /** Ignored build inputs linked from the base tree (`node_modules`): never committed. */
  linked: z.array(z.string()).default([]),
  costUsd: z.number().nonnegative(),
  steps: z.number().int().nonnegative(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  filesChanged: z.array(z.string()),
  /** The process running it while it runs; a record whose pid is gone is not live (crashed or finished). */
  pid: z.number().int().optional(),
  /** The commit holding the task's changes on its branch, once committed. */
  commit: z.string().optional(),
  tracePath: z.string().optional(),
  sessionPath: z.string().optional(),
  summary: z.string().optional(),
  error: z.string().optional(),
});

export type TaskRecord = z.infer<typeof taskRecordSchema>;

export const RECORD_FILE = 'task.json';
export const TREE_DIR = 'tree';

export function worktreesHome(tillerHome: string): string {
  return join(tillerHome, 'worktrees');
}

export function taskDir(tillerHome: string, id: string): string {
  return join(worktreesHome(tillerHome), id);
}

export function writeTaskRecord(tillerHome: string, record: TaskRecord): void {
  writeFileAtomicSync(join(taskDir(tillerHome, record.id), RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
}

export class TaskRecordError extends Error {
  override name = 'TaskRecordError';
}

export function readTaskRecord(tillerHome: string, id: string): TaskRecord {
  if (!/^[0-9a-f]{8}$/.test(id)) throw new TaskRecordError(`\`${id}\` is not a task id (8 hex digits, as \`tiller tasks list\` shows)`);
  const file = join(taskDir(tillerHome, id), RECORD_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TaskRecordError(`there is no task ${id} (no ${file})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TaskRecordError(`the task record ${file} is not JSON: ${(err as Error).message}`);
  }
  const r = taskRecordSchema.safeParse(parsed);
  if (!r.success) throw new TaskRecordError(`the task record ${file} is damaged: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Every readable task record, oldest first; damaged ones are reported through `warn` and left out. */
export function listTaskRecords(tillerHome: string, warn: (message: string) => void = () => undefined): TaskRecord[] {
  let ids: string[];
  try {
    ids = readdirSync(worktreesHome(tillerHome)).filter((n) => /^[0-9a-f]{8}$/.test(n));
  } catch {
    return [];
  }
  const out: TaskRecord[] = [];
  for (const id of ids) {
    try {
      out.push(readTaskRecord(tillerHome, id));
    } catch (err) {
      warn((err as Error).message);
    }
  }
  return out.sort((a, b) => a.startedAt - b.startedAt);
}

/** Updates a record in place (read, change, write atomically). */
export function updateTaskRecord(tillerHome: string, id: string, change: (r: TaskRecord) => Partial<TaskRecord>): TaskRecord {
  const current = readTaskRecord(tillerHome, id);
  const next = { ...current, ...change(current) };
  writeTaskRecord(tillerHome, next);
  return next;
}

export function pidAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A task counted against the concurrency limit: running (or waiting for a person) in a process still alive. */
export function isLive(r: TaskRecord): boolean {
  return (r.state === 'running' || r.state === 'waiting' || r.state === 'creating') && pidAlive(r.pid);
}
