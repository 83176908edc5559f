// A lock file beside a shared file, for read-modify-write updates made by several processes (two VS Code windows on
// one workspace, a CLI run beside them). The lock is created with O_EXCL, holds the owner's pid, and is broken only
// when that process is gone or the lock is older than any update could take — so a crash never wedges Tiller.
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';

export interface LockOptions {
  /** Give up after this long. Default 10 s. */
  timeoutMs?: number;
  /** A lock older than this is stale whatever its pid says. Default 30 s. */
  staleMs?: number;
}

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

export function withFileLockSync<T>(target: string, fn: () => T, options: LockOptions = {}): T {
  const lock = `${target}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (let attempt = 0; !tryAcquire(target, lock, deadline, options.staleMs ?? 30_000); attempt++) sleepSync(backoff(attempt));
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The same lock for asynchronous work (a git snapshot), waiting without blocking the event loop. */
export async function withFileLock<T>(target: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = `${target}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (let attempt = 0; !tryAcquire(target, lock, deadline, options.staleMs ?? 30_000); attempt++) {
    await new Promise((r) => setTimeout(r, backoff(attempt)));
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** True when the lock is now ours; false to wait and try again; throws past the deadline. */
function tryAcquire(target: string, lock: string, deadline: number, staleMs: number): boolean {
  try {
    const fd = openSync(lock, 'wx', 0o600);
    try {
      writeSync(fd, `${process.pid} ${Date.now()}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (isStale(lock, staleMs)) {
      rmSync(lock, { force: true });
      return false;
    }
    if (Date.now() > deadline)
      throw new LockTimeoutError(`${target} is locked by another Tiller process (${lock}); try again, or remove the lock if no Tiller is running`);
    return false;
  }
}

function backoff(attempt: number): number {
  return Math.min(50, 2 + attempt * 2);
}

function isStale(lock: string, staleMs: number): boolean {
  try {
    const [pidText] = readFileSync(lock, 'utf8').split(' ');
    const pid = Number(pidText);
    if (Date.now() - statSync(lock).mtimeMs > staleMs) return true;
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written right now
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    return false; // vanished between the failed create and this read: just retry
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
