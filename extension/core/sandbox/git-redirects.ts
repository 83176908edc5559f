// Files inside `.git` that send git somewhere else for its config and hooks, and that a read-only mount cannot guard:
// they are absent in a main repository, and any placeholder (an empty file or directory) makes every git command fail
// ("failed to read .git/commondir"). A sandboxed command could write `.git/commondir` pointing at a directory of its
// own, and the host's next `git status` would read that directory's config (core.fsmonitor runs a program) and hooks.
// So: note which are absent before a run, and remove any that appeared once the sandbox (its whole pid namespace)
// has ended.
import { lstatSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const REDIRECTS = ['commondir'];

function isDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The redirect files absent now in each root's `.git` directory: the ones to remove if a run creates them. */
export function absentGitRedirects(roots: readonly string[]): string[] {
  const absent: string[] = [];
  for (const root of roots) {
    const git = join(root, '.git');
    if (!isDir(git)) continue;
    for (const name of REDIRECTS) if (!exists(join(git, name))) absent.push(join(git, name));
  }
  return absent;
}

/** The same for git directories named directly (a worktree task's common directory). */
export function absentRedirectsIn(gitDirs: readonly string[]): string[] {
  return gitDirs.filter(isDir).flatMap((git) => REDIRECTS.map((name) => join(git, name)).filter((p) => !exists(p)));
}

/** Removes the ones a run created; returns their paths, for the report. */
export function removeCreatedGitRedirects(absentBefore: readonly string[]): string[] {
  const created = absentBefore.filter(exists);
  for (const p of created) rmSync(p, { recursive: true, force: true });
  return created;
}
