// Creates a worktree task: a new branch `tiller/<id>-<slug>` from the user's HEAD, checked out in a new git worktree
// under `$TILLER_HOME/worktrees/<id>/tree` (never inside the user's repository), optionally with the user's
// uncommitted changes carried over as a first commit, and the task record beside it. Any failure on the way (a full
// disk, git refusing) removes what was made — the worktree, the branch, the folder — so nothing is half-created.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { repoGit, GitError } from './git.js';
import { taskDir, TREE_DIR, worktreesHome, writeTaskRecord, type TaskRecord } from './record.js';

export class WorktreeUnavailableError extends Error {
  override name = 'WorktreeUnavailableError';
}

/** The user's tree has uncommitted changes and nobody said whether to carry them over. */
export class DirtyTreeError extends Error {
  override name = 'DirtyTreeError';
  constructor(readonly files: string[]) {
    super(
      `your working tree has uncommitted changes (${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''}); ` +
        'say whether the task should start with them (--carry-changes) or from the last commit without them (--no-carry-changes)',
    );
  }
}

export interface CreateWorktreeOptions {
  /** Any folder inside the user's repository (the workspace). */
  workspace: string;
  tillerHome: string;
  task: string;
  /** Carry the user's uncommitted changes (staged, unstaged and untracked files) into the worktree. Undefined: refuse on a dirty tree. */
  carryChanges?: boolean;
  pid?: number;
  now?: () => number;
  /** Ignored build inputs linked read-only from the base tree when the worktree lacks them. */
  linkInputs?: readonly string[];
  /** Tests: fail at a named step, to show nothing is left behind. */
  failAt?: 'after-worktree' | 'after-carry';
}

export interface RepositoryInfo {
  /** Top level of the user's work tree. */
  top: string;
  gitCommonDir: string;
  head: string;
}

export const DEFAULT_LINKED_INPUTS = ['node_modules'];

/** The repository a folder belongs to, or a plain error saying it has none. */
export async function repositoryOf(workspace: string): Promise<RepositoryInfo> {
  let dir: string;
  try {
    dir = realpathSync(workspace);
  } catch {
    throw new WorktreeUnavailableError(`the workspace ${workspace} does not exist`);
  }
  const git = repoGit(dir);
  let top: string;
  try {
    const r = await git(['rev-parse', '--show-toplevel'], { okCodes: [128] });
    if (r.code !== 0)
      throw new WorktreeUnavailableError(
        `${dir} is not inside a git repository, so a task cannot run in a worktree; run it without --worktree to work in place`,
      );
    top = r.stdout.toString('utf8').trim();
  } catch (err) {
    if (err instanceof GitError && err.code === null) throw new WorktreeUnavailableError(`worktree tasks need git, which is not installed (or not on PATH)`);
    throw err;
  }
  const head = await git(['rev-parse', '--verify', '-q', 'HEAD'], { okCodes: [1, 128] });
  if (head.code !== 0)
    throw new WorktreeUnavailableError(
      `the repository at ${top} has no commits yet; a worktree task starts from a commit (commit once, or run without --worktree)`,
    );
  const common = await git.text(['rev-parse', '--git-common-dir']);
  return { top: realpathSync(top), gitCommonDir: realpathSync(isAbsolute(common) ? common : resolve(dir, common)), head: head.stdout.toString('utf8').trim() };
}

/** Uncommitted changes in the user's tree (tracked changes and untracked, not ignored, files), as paths. */
export async function uncommittedFiles(top: string): Promise<string[]> {
  const out = await repoGit(top)(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']);
  return out.stdout
    .toString('utf8')
    .split('\0')
    .filter((f) => f.length > 3)
    .map((f) => f.slice(3));
}

export function slugOf(task: string): string {
  const slug = task
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug || 'task';
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export async function createWorktreeTask(options: CreateWorktreeOptions): Promise<TaskRecord> {
  const repo = await repositoryOf(options.workspace);
  const home = resolve(options.tillerHome);
  mkdirSync(worktreesHome(home), { recursive: true, mode: 0o700 });
  const realHome = realpathSync(worktreesHome(home));
  if (isInside(repo.top, realHome)) {
    throw new WorktreeUnavailableError(
      `Tiller's home ${home} is inside the repository ${repo.top}; worktrees must live outside it (set TILLER_HOME elsewhere)`,
    );
  }
  const dirty = await uncommittedFiles(repo.top);
  if (dirty.length > 0 && options.carryChanges === undefined) throw new DirtyTreeError(dirty);
  const carry = dirty.length > 0 && options.carryChanges === true;
  const git = repoGit(repo.top);
  const slug = slugOf(options.task);

  // A branch or folder of that name already there: another id, never a reuse.
  let id = '';
  let branch = '';
  for (let attempt = 0; ; attempt++) {
    if (attempt >= 8) throw new Error('could not find an unused task id after 8 tries');
    id = randomBytes(4).toString('hex');
    branch = `tiller/${id}-${slug}`;
    const exists = await git(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { okCodes: [1] });
    if (exists.code === 0) continue;
    try {
      mkdirSync(taskDir(home, id), { mode: 0o700 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }

  const dir = join(realHome, id);
  const tree = join(dir, TREE_DIR);
  const now = options.now ?? Date.now;
  let worktreeAdded = false;
  try {
    await git(['worktree', 'add', '--quiet', '-b', branch, tree, repo.head]);
    worktreeAdded = true;
    if (options.failAt === 'after-worktree') throw new Error('injected failure after worktree add');
    let startCommit = repo.head;
    if (carry) {
      startCommit = await carryOver(repo.top, tree);
      if (options.failAt === 'after-carry') throw new Error('injected failure after carrying changes');
    }
    const linked = linkInputs(repo.top, tree, options.linkInputs ?? DEFAULT_LINKED_INPUTS);
    const record: TaskRecord = {
      version: 1,
      id,
      branch,
      baseCommit: repo.head,
      startCommit,
      repoRoot: repo.top,
      gitCommonDir: repo.gitCommonDir,
      path: tree,
      state: 'creating',
      task: options.task,
      carried: carry,
      linked,
      costUsd: 0,
      steps: 0,
      startedAt: now(),
      filesChanged: [],
      ...(options.pid !== undefined ? { pid: options.pid } : {}),
    };
    writeTaskRecord(home, record);
    return record;
  } catch (err) {
    await removeWorktree(repo.top, tree, branch, worktreeAdded).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The user's staged and unstaged changes (one binary diff against HEAD) and untracked files, applied in the worktree
 * and committed there as the task's starting point, so the task's own commit holds only what the task did.
 */
async function carryOver(top: string, tree: string): Promise<string> {
  const user = repoGit(top);
  const task = repoGit(tree);
  const diff = await user(['diff', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', 'HEAD']);
  if (diff.stdout.length > 0) await task(['apply', '--binary', '--whitespace=nowarn', '-'], { input: diff.stdout });
  const untracked = (await user(['ls-files', '--others', '--exclude-standard', '-z'])).stdout.toString('utf8').split('\0').filter(Boolean);
  for (const file of untracked) {
    const from = join(top, file);
    if (!lstatSync(from).isFile()) continue;
    const to = join(tree, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  await task(['add', '--all', '--', '.']);
  await task(['commit', '--quiet', '--no-verify', '--no-gpg-sign', '--allow-empty', '-m', 'Tiller: uncommitted changes carried over from the working tree']);
  return task.text(['rev-parse', 'HEAD']);
}

/** `node_modules` and the like: ignored, so not in the worktree; a link to the base tree's copy when absent here. */
function linkInputs(top: string, tree: string, names: readonly string[]): string[] {
  const linked: string[] = [];
  for (const name of names) {
    const source = join(top, name);
    const target = join(tree, name);
    if (!existsSync(source) || existsSync(target)) continue;
    symlinkSync(source, target, 'dir');
    linked.push(name);
  }
  return linked;
}

/** Removes a task's worktree and branch; `git worktree prune` keeps git's own list consistent. */
export async function removeWorktree(top: string, tree: string, branch: string, added = true): Promise<void> {
  const git = repoGit(top);
  if (added) await git(['worktree', 'remove', '--force', '--force', tree], { okCodes: [128] });
  rmSync(tree, { recursive: true, force: true });
  await git(['worktree', 'prune']);
  await git(['branch', '-D', branch], { okCodes: [1] });
}
