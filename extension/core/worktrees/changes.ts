// A worktree task's work as one change set against the user's tree: every file its branch changed since the merge
// base (or since the carried-over starting point), each with the hash of the base content. Applying it goes through
// the one all-or-nothing applier (edits/apply.ts), whose check — the user's file must still hold exactly the base
// bytes — is the conflict check: a file the user changed too is named, and nothing is written.
import { sha256Hex } from '../edits/hash.js';
import type { ChangeSet, FileChange } from '../edits/types.js';
import { repoGit } from './git.js';
import type { TaskRecord } from './record.js';

export class TaskChangesError extends Error {
  override name = 'TaskChangesError';
}

export interface TaskChanges {
  /** The commit the diff starts from: the merge base of the user's HEAD and the branch, or the carried-over commit. */
  base: string;
  /** The branch tip the diff ends at. */
  tip: string;
  /** The user's HEAD now; differs from the task's base commit when the base branch moved. */
  userHead: string;
  baseMoved: boolean;
  changeSet: ChangeSet;
  /** The whole diff, for `tiller tasks diff`. */
  diff: string;
}

const REGULAR = new Set(['100644', '100755']);
const NULL_MODE = '000000';

export async function taskChanges(record: TaskRecord): Promise<TaskChanges> {
  const git = repoGit(record.repoRoot);
  const tipR = await git(['rev-parse', '--verify', '-q', `refs/heads/${record.branch}^{commit}`], { okCodes: [1] });
  if (tipR.code !== 0) throw new TaskChangesError(`the branch ${record.branch} of task ${record.id} no longer exists`);
  const tip = tipR.stdout.toString('utf8').trim();
  const userHead = await git.text(['rev-parse', 'HEAD']);
  // Carried changes are already in the user's tree: the task's own work starts after them.
  const base = record.carried ? record.startCommit : await git.text(['merge-base', userHead, tip]);
  const raw = await git(['diff', '--raw', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', base, tip]);
  const fields = raw.stdout.toString('utf8').split('\0');
  const files: FileChange[] = [];
  const problems: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!;
    const path = fields[i + 1]!;
    if (!meta.startsWith(':')) continue;
    const [oldMode, newMode, oldSha, newSha] = meta.slice(1).split(' ');
    if ((oldMode !== NULL_MODE && !REGULAR.has(oldMode!)) || (newMode !== NULL_MODE && !REGULAR.has(newMode!))) {
      problems.push(`${path} (a symbolic link or submodule; bring it back with git)`);
      continue;
    }
    const before = oldMode === NULL_MODE ? null : await blob(git, oldSha!);
    const after = newMode === NULL_MODE ? null : await blob(git, newSha!);
    let newContent: string | null = null;
    if (after !== null) {
      const text = utf8(after);
      if (text === undefined) {
        problems.push(`${path} (binary content; bring it back with git)`);
        continue;
      }
      newContent = text;
    }
    const diff = (await git(['diff', '--no-color', '--no-ext-diff', '--no-textconv', base, tip, '--', path])).stdout.toString('utf8');
    files.push({ path, baseHash: before === null ? null : sha256Hex(before), newContent, diff });
  }
  if (problems.length) throw new TaskChangesError(`task ${record.id} changed files a change set cannot carry: ${problems.join(', ')}`);
  const diff = (await git(['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', base, tip])).stdout.toString('utf8');
  return {
    base,
    tip,
    userHead,
    baseMoved: userHead !== record.baseCommit,
    changeSet: { id: `task-${record.id}`, files, description: record.task },
    diff,
  };
}

async function blob(git: ReturnType<typeof repoGit>, sha: string): Promise<Buffer> {
  return (await git(['cat-file', 'blob', sha])).stdout;
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Work in the task's tree not yet committed on its branch (a task that crashed or is still running). */
export async function uncommittedInTask(record: TaskRecord): Promise<string[]> {
  const out = await repoGit(record.path)(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']);
  const linked = new Set(record.linked);
  return out.stdout
    .toString('utf8')
    .split('\0')
    .filter((f) => f.length > 3)
    .map((f) => f.slice(3))
    .filter((f) => !linked.has(f));
}
