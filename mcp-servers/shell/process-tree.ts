// Killing a command together with everything it started. Commands run as process-group leaders (spawned
// detached), so signalling the negative pid reaches the whole group: SIGTERM first, SIGKILL 2 s later for
// whatever ignored it.

export const KILL_GRACE_MS = 2000;

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Sends SIGTERM to the group, then SIGKILL after the grace period if any member is still alive. */
export function killTree(pid: number, graceMs = KILL_GRACE_MS): Promise<void> {
  if (!groupAlive(pid)) return Promise.resolve();
  signalGroup(pid, 'SIGTERM');
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (!groupAlive(pid)) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started >= graceMs) {
        clearInterval(poll);
        signalGroup(pid, 'SIGKILL');
        resolve();
      }
    }, 50);
  });
}

/** Synchronous last resort for process exit: no time left for a grace period. */
export function killTreeNow(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}
