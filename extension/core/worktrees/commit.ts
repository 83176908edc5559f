// The end of a worktree task: everything it changed in its work tree committed on its branch, so `git log
// tiller/<id>-...` shows it even when Tiller is gone. Through the hardened runner: no hooks, no signing.
import { repoGit } from './git.js';
import type { TaskRecord } from './record.js';

export interface CommitOptions {
  /** `Name <email>` for a `Co-authored-by` trailer (the person who asked for the task). */
  coAuthor?: string;
}

/** The commit message: the task's first line as subject (cut to 72), the whole task as body. */
export function commitMessage(task: string, options: CommitOptions = {}): string {
  const first = task.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  const subject = first.length > 72 ? `${first.slice(0, 71)}…` : first;
  const body = task.trim() === first ? '' : `\n\n${task.trim()}`;
  const trailer = options.coAuthor ? `\n\nCo-authored-by: ${options.coAuthor.replace(/[\r\n]/g, ' ')}` : '';
  return `${subject || 'Tiller task'}${body}\n\nTiller-Task: done in a worktree by Tiller${trailer}\n`;
}

/** Commits the work tree's changes; returns the new commit, or undefined when the task changed nothing. */
export async function commitTask(record: TaskRecord, options: CommitOptions = {}): Promise<{ commit: string | undefined; files: string[] }> {
  const git = repoGit(record.path);
  await git(['add', '--all', '--', '.']);
  // The linked build inputs are links to the base tree, not the task's work.
  for (const name of record.linked) await git(['rm', '--cached', '--quiet', '--ignore-unmatch', '-r', '--', name]);
  const staged = await git(['diff', '--cached', '--name-only', '-z', '--no-renames']);
  const files = staged.stdout.toString('utf8').split('\0').filter(Boolean);
  if (files.length === 0) return { commit: undefined, files: [] };
  await git(['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-F', '-'], { input: commitMessage(record.task, options) });
  return { commit: await git.text(['rev-parse', 'HEAD']), files };
}
