// Runs one shell command: `/bin/bash -c` in its own process group, a minimal environment, stdin at EOF,
// output capped, and three ways to stop it early (timeout, cancellation, sitting at an interactive prompt),
// each of which kills the whole process tree.
import { spawn } from 'node:child_process';
import { HeadTailBuffer } from './output-buffer.js';
import { looksLikePrompt } from './prompt-detect.js';
import { killTree, killTreeNow } from './process-tree.js';

export interface CommandRequest {
  command: string;
  cwd: string;
  timeoutMs: number;
  idleMs: number;
  env: Record<string, string>;
  signal?: AbortSignal;
  /** What to spawn instead of `/bin/bash -c command` (the sandbox's wrapper around it), with its environment. */
  launch?: { file: string; args: string[]; env: Record<string, string> };
}

export interface CommandOutcome {
  output: string;
  outputBytes: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  waitingForInput: boolean;
  cancelled: boolean;
  durationMs: number;
  pid: number | undefined;
}

/** Process groups of commands still running, so a server shutting down can kill them. */
const running = new Set<number>();

export function killAllRunning(): void {
  for (const pid of running) killTreeNow(pid);
}

export function runCommand(req: CommandRequest): Promise<CommandOutcome> {
  const started = Date.now();
  const output = new HeadTailBuffer();
  return new Promise((resolve) => {
    const file = req.launch?.file ?? '/bin/bash';
    const child = spawn(file, req.launch?.args ?? ['-c', req.command], {
      cwd: req.cwd,
      env: req.launch?.env ?? req.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    child.stdin.on('error', () => {}); // a command that exits before we close stdin is not an error
    child.stdin.end();

    let timedOut = false;
    let waitingForInput = false;
    let cancelled = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let stopping: Promise<void> | undefined;
    let spawnError: Error | undefined;

    const stop = (): void => {
      if (pid !== undefined && stopping === undefined) stopping = killTree(pid);
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      stop();
    }, req.timeoutMs);
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        if (looksLikePrompt(output.lastText())) {
          waitingForInput = true;
          stop();
        } else {
          armIdle();
        }
      }, req.idleMs);
    };
    armIdle();
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });

    const onData = (chunk: Buffer): void => {
      output.append(chunk);
      armIdle();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      // Background processes the command left behind still hold the output pipes; they go with the group.
      stop();
    });
    child.on('close', () => {
      void (stopping ?? Promise.resolve()).then(() => {
        clearTimeout(timeout);
        clearTimeout(idle);
        req.signal?.removeEventListener('abort', onAbort);
        if (pid !== undefined) running.delete(pid);
        let text = output.toString();
        if (spawnError !== undefined) text += `\n[could not start ${file}: ${spawnError.message}]`;
        resolve({
          output: text,
          outputBytes: output.totalBytes,
          exitCode,
          signal: exitSignal,
          timedOut,
          waitingForInput,
          cancelled,
          durationMs: Date.now() - started,
          pid,
        });
      });
    });
  });
}
