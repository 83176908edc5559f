// A real git repository in a temp folder for worktree tests, and a fingerprint of the user's tree and index.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'User', GIT_AUTHOR_EMAIL: 'user@example.invalid', GIT_COMMITTER_NAME: 'User', GIT_COMMITTER_EMAIL: 'user@example.invalid' };

export function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
}

/** A repository with one commit holding `files`. */
export function tempRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-repo-'));
  git(dir, ['init', '--quiet', '-b', 'main']);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', 'initial']);
  return dir;
}

/** The index (`git ls-files -s`), `git status --porcelain` and every tracked or untracked file's bytes, hashed. */
export function treeFingerprint(repo: string): string {
  const h = createHash('sha256');
  h.update(git(repo, ['ls-files', '-s']));
  h.update('\0status\0');
  h.update(git(repo, ['status', '--porcelain=v1', '--untracked-files=all']));
  const files = git(repo, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter(Boolean).sort();
  for (const f of files) {
    h.update(`\0${f}\0`);
    try {
      h.update(readFileSync(join(repo, f)));
    } catch {
      h.update('<missing>');
    }
  }
  return h.digest('hex');
}
