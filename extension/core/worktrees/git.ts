// Git in the user's own repository for worktree tasks (worktree add, commit, diff, branch -D), through the hardened
// runner the checkpoints use: no repository hooks, no fsmonitor, no signing, no global or system configuration, and
// no GIT_* variable from the caller's shell. Every call names its directory; nothing here reads the process cwd.
import { gitEnvironment, runGit, GitError, type GitResult } from '../edits/checkpoints/git-runner.js';

export { GitError };

/** The identity Tiller commits with; the task's commit may add a `Co-authored-by` trailer. */
const TASK_IDENTITY = {
  GIT_AUTHOR_NAME: 'Tiller',
  GIT_AUTHOR_EMAIL: 'tasks@tiller.invalid',
  GIT_COMMITTER_NAME: 'Tiller',
  GIT_COMMITTER_EMAIL: 'tasks@tiller.invalid',
};

export interface RepoGit {
  (args: string[], extra?: { input?: string | Buffer; okCodes?: number[] }): Promise<GitResult>;
  /** The same command's stdout as UTF-8 text, trimmed. */
  text(args: string[], extra?: { input?: string | Buffer; okCodes?: number[] }): Promise<string>;
}

/** Git run in `cwd` (a work tree of the repository: the user's or a task's). */
export function repoGit(cwd: string): RepoGit {
  const env = gitEnvironment(TASK_IDENTITY);
  const run = ((args, extra = {}) => runGit(args, { cwd, env, ...extra })) as RepoGit;
  run.text = async (args, extra) => (await run(args, extra)).stdout.toString('utf8').trim();
  return run;
}
