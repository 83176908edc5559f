// Git recency: files touched by recent commits are likelier to be touched again. Read once per build from
// `git log --name-only` (with hooks a hostile repo could configure switched off); no git, no repository or a slow git all mean "no signal", never an error.
import { execFile } from 'node:child_process';

const COMMITS = 300;
const TIMEOUT_MS = 10_000;

/** Workspace-relative path -> recency weight in (0, 1], newest commits weigh most. */
export function readGitRecency(root: string): Promise<Map<string, number>> {
  return new Promise((resolve) => {
    execFile(
      'git',
      [
        '-c',
        'core.quotepath=off',
        '-c',
        'core.fsmonitor=false',
        '-c',
        'diff.external=',
        'log',
        `-n${COMMITS}`,
        '--name-only',
        '--format=%x00',
        '--relative',
        '--no-renames',
      ],
      { cwd: root, timeout: TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024, windowsHide: true },
      (err, stdout) => {
        const out = new Map<string, number>();
        if (err) return resolve(out);
        const commits = stdout.split('\0').slice(1);
        commits.forEach((block, i) => {
          const weight = Math.exp(-i / 50);
          for (const line of block.split('\n')) {
            const path = line.trim();
            if (path && !out.has(path)) out.set(path, weight);
          }
        });
        resolve(out);
      },
    );
  });
}
