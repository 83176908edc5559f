// Runs one command line the harness itself starts (a project's check, a lifecycle hook) inside the sandbox, with a
// deadline and a cap on what it may print. The model's own commands go through the shell MCP server instead; this
// is for the harness's commands, which have no server between them and the process. Deciding whether the command
// may run at all (rules, approval) is the caller's job and happens before this is called.
import { spawn } from 'node:child_process';
import type { SandboxRunner } from './runner.js';

export interface CappedRunRequest {
  runner: SandboxRunner;
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Written to the command's stdin, which is then closed (hooks read their JSON there). */
  stdin?: string;
  timeoutMs: number;
  /** Per stream; beyond it the middle is cut and `truncated` set, so both the start and the tail survive. */
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface CappedRunResult {
  /** Null when the process was killed or never started. */
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  stdout: string;
  stderr: string;
  truncated: boolean;
  /** Bytes printed in total on both streams, kept or not. */
  outputBytes: number;
  durationMs: number;
  sandboxed: boolean;
  /** Why it could not start (`bash` missing, the sandbox refused), when it did not. */
  spawnError?: string;
}

/** After SIGTERM, how long a process group gets to exit before SIGKILL. */
const KILL_GRACE_MS = 1000;

class CappedBuffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  total = 0;
  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const half = Math.floor(this.cap / 2);
    if (this.headBytes < half) {
      const take = chunk.subarray(0, half - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= this.cap - half) this.tailBytes -= this.tail.shift()!.length;
  }

  get truncated(): boolean {
    return this.total > this.cap;
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    let tail = Buffer.concat(this.tail);
    if (!this.truncated) return head + tail.toString('utf8');
    tail = tail.subarray(Math.max(0, tail.length - (this.cap - this.headBytes)));
    return `${head}\n[… ${this.total - this.headBytes - tail.length} bytes cut …]\n${tail.toString('utf8')}`;
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

export async function runCapped(req: CappedRunRequest): Promise<CappedRunResult> {
  const started = Date.now();
  let prepared;
  try {
    prepared = await req.runner.prepare(req.command, req.cwd, req.env);
  } catch (error) {
    return {
      exitCode: null,
      timedOut: false,
      cancelled: false,
      stdout: '',
      stderr: '',
      truncated: false,
      outputBytes: 0,
      durationMs: Date.now() - started,
      sandboxed: false,
      spawnError: (error as Error).message,
    };
  }
  const out = new CappedBuffer(req.maxOutputBytes);
  const err = new CappedBuffer(req.maxOutputBytes);
  let timedOut = false;
  let cancelled = false;
  let spawnError: string | undefined;
  const exitCode = await new Promise<number | null>((resolve) => {
    // Detached: the command leads its own process group, so a deadline kills everything it started.
    const child = spawn(prepared.file, prepared.args, { cwd: req.cwd, env: prepared.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const stop = (why: 'timeout' | 'cancel') => {
      if (why === 'timeout') timedOut = true;
      else cancelled = true;
      signalGroup(child.pid, 'SIGTERM');
      setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => stop('timeout'), req.timeoutMs);
    const onAbort = () => stop('cancel');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.signal?.aborted) onAbort();
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {
      // a command that does not read its stdin closes the pipe early: not an error of the run
    });
    child.stdin.end(req.stdin ?? '');
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      // Whatever the command left running in its group goes with it.
      signalGroup(child.pid, 'SIGKILL');
      resolve(timedOut || cancelled ? null : code);
    });
  });
  await prepared.finish();
  return {
    exitCode,
    timedOut,
    cancelled,
    stdout: out.text(),
    stderr: err.text(),
    truncated: out.truncated || err.truncated,
    outputBytes: out.total + err.total,
    durationMs: Date.now() - started,
    sandboxed: prepared.sandboxed,
    ...(spawnError !== undefined ? { spawnError } : {}),
  };
}
