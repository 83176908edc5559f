// Polling helpers: tests wait for conditions, never for fixed times.

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, limitMs = 15_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** True when no process with this pid exists (zombies count as alive until reaped, so poll). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function waitGone(pid: number, what: string): Promise<true> {
  return waitFor(() => processGone(pid), `${what} (pid ${pid}) to exit`);
}
