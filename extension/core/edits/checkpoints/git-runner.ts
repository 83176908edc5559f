// Runs git for the shadow checkpoint repository. Every call names the repository and the work tree explicitly and
// ignores the user's global and system git configuration, so nothing the user (or a hostile workspace) configured —
// hooks, signing, autocrlf, filters, fsmonitor commands — runs or changes bytes while a checkpoint is taken.
import { spawn } from 'node:child_process';

export class GitError extends Error {
  override name = 'GitError';
  constructor(
    message: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

/** Configuration forced on every shadow-git call (overrides anything in a config file). */
const FORCED_CONFIG: readonly string[] = [
  'core.hooksPath=/dev/null',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'core.autocrlf=false',
  'core.safecrlf=false',
  'core.fsmonitor=false',
  'core.untrackedCache=false',
  'core.quotePath=false',
  'core.longpaths=true',
  // The workspace may belong to another user (a container, a mounted folder); we name the repository ourselves.
  'safe.directory=*',
  'gc.auto=0',
  'maintenance.auto=false',
  'user.name=Tiller',
  'user.email=checkpoints@tiller.invalid',
];

/** The environment for a git child: the caller's PATH and HOME, nothing that points git at another repository. */
export function gitEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // GIT_* variables inherited from a shell (GIT_DIR, GIT_INDEX_FILE, GIT_CONFIG_*) would redirect the command.
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_LITERAL_PATHSPECS: '1',
    GIT_AUTHOR_NAME: 'Tiller',
    GIT_AUTHOR_EMAIL: 'checkpoints@tiller.invalid',
    GIT_COMMITTER_NAME: 'Tiller',
    GIT_COMMITTER_EMAIL: 'checkpoints@tiller.invalid',
    LC_ALL: 'C',
    ...extra,
  };
}

export interface RunGitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Exit codes that are answers rather than failures (e.g. 1 for `rev-parse --verify -q`). */
  okCodes?: number[];
}

export function runGit(args: string[], options: RunGitOptions): Promise<GitResult> {
  const forced = FORCED_CONFIG.flatMap((c) => ['-c', c]);
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...forced, ...args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new GitError('git is not installed (or not on PATH); checkpoints need git', null, '') : e);
    });
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      const result = { stdout: Buffer.concat(out), stderr, code };
      if (code === 0 || (code !== null && options.okCodes?.includes(code))) resolve(result);
      else reject(new GitError(`git ${args[0] ?? ''} failed (exit ${code}): ${stderr.trim().slice(0, 500)}`, code, stderr));
    });
    child.stdin.on('error', () => {
      // git may exit before reading all of its input; the exit code tells what happened.
    });
    child.stdin.end(options.input ?? '');
  });
}
