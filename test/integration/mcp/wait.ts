// Polling helpers: tests wait for conditions, never for fixed times.
import { readdirSync, readFileSync } from 'node:fs';

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

/**
 * Host pids of processes whose command line is exactly `argv`. Sandboxed commands live in their own pid namespace,
 * so the `$!` they print means nothing out here; a unique argument (`sleep 100.4711`) finds them from the host.
 */
export function hostPidsOf(argv: readonly string[]): number[] {
  const want = `${argv.join('\0')}\0`;
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') === want) out.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Waits until a process with this exact command line runs, and returns its host pid. */
export function waitRunning(argv: readonly string[], what: string): Promise<number> {
  return waitFor(() => hostPidsOf(argv)[0], `${what} to start`);
}
