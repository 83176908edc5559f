// Command-line arguments shared by the built-in servers. `--root` is required so a server can never silently
// default to whatever directory it happened to be started in.
import { resolve } from 'node:path';
import { POLICY_FILE_FLAG } from '../../extension/core/policy/effective.js';

export interface ServerArgs {
  /** Absolute workspace root, as given (the path guard resolves symlinks). */
  root: string;
  /** Serve Streamable HTTP on 127.0.0.1:PORT instead of stdio. */
  httpPort?: number;
  /** Shell server: how long a silent command may sit at a prompt before it is killed. */
  idleMs?: number;
  /**
   * `--policy FILE`: the harness's effective policy (extension/core/policy/effective.ts, read with
   * readEffectivePolicy). Absolute. Without it a server enforces the default denies only.
   */
  policyFile?: string;
  /** Shell server: `--sandbox auto|required|off` (default auto: sandboxed whenever the machine can). */
  sandbox?: 'auto' | 'required' | 'off';
  /** Shell server: `--sandbox-allow-path P`, repeatable: more paths outside the workspace a command may use. */
  allowPaths: string[];
  /** Shell server: `--sandbox-git-dir P`, repeatable: a git common directory commands may write (a worktree task's repository), its config, hooks and info read-only. */
  gitDirs: string[];
  /** Shell server: `--sandbox-read-path P`, repeatable: a path outside the workspace commands may read but not write (a worktree task's linked node_modules). */
  readPaths: string[];
}

export class ArgsError extends Error {
  override name = 'ArgsError';
}

function parsePositiveInt(flag: string, value: string | undefined, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new ArgsError(`${flag} needs a whole number, got ${JSON.stringify(value ?? '')}`);
  const n = Number(value);
  if (n < 1 || n > max) throw new ArgsError(`${flag} must be between 1 and ${max}, got ${n}`);
  return n;
}

export function parseServerArgs(argv: readonly string[]): ServerArgs {
  let root: string | undefined;
  let httpPort: number | undefined;
  let idleMs: number | undefined;
  let policyFile: string | undefined;
  let sandbox: ServerArgs['sandbox'];
  const allowPaths: string[] = [];
  const gitDirs: string[] = [];
  const readPaths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--root':
        if (value === undefined || value === '') throw new ArgsError('--root needs a directory');
        root = resolve(value);
        i++;
        break;
      case '--http':
        httpPort = parsePositiveInt('--http', value, 65535);
        i++;
        break;
      case '--idle-ms':
        idleMs = parsePositiveInt('--idle-ms', value, 3_600_000);
        i++;
        break;
      case POLICY_FILE_FLAG:
        if (value === undefined || value === '') throw new ArgsError(`${POLICY_FILE_FLAG} needs a file`);
        policyFile = resolve(value);
        i++;
        break;
      case '--sandbox':
        if (value !== 'auto' && value !== 'required' && value !== 'off')
          throw new ArgsError(`--sandbox must be auto, required or off, got ${JSON.stringify(value ?? '')}`);
        sandbox = value;
        i++;
        break;
      case '--sandbox-allow-path':
        if (value === undefined || value === '') throw new ArgsError('--sandbox-allow-path needs a path');
        allowPaths.push(value);
        i++;
        break;
      case '--sandbox-git-dir':
      case '--sandbox-read-path':
        if (value === undefined || value === '' || !value.startsWith('/')) throw new ArgsError(`${flag} needs an absolute path`);
        (flag === '--sandbox-git-dir' ? gitDirs : readPaths).push(resolve(value));
        i++;
        break;
      default:
        throw new ArgsError(
          `unknown argument ${JSON.stringify(flag)} (expected --root DIR, --http PORT, --idle-ms MS, ${POLICY_FILE_FLAG} FILE, --sandbox MODE, --sandbox-allow-path P, --sandbox-git-dir P, --sandbox-read-path P)`,
        );
    }
  }
  if (root === undefined) throw new ArgsError('--root DIR is required: the workspace root the server may touch');
  return {
    root,
    httpPort,
    idleMs,
    allowPaths,
    gitDirs,
    readPaths,
    ...(policyFile !== undefined ? { policyFile } : {}),
    ...(sandbox !== undefined ? { sandbox } : {}),
  };
}
