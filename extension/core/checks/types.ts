// What one run of a check came to: the shape the digest, the trace, the transcript and the done-gate all read.
import type { CheckMoment, CheckSource } from './config.js';

/**
 * `not_run`: the rules denied it, the user declined it, or the sandbox could not start it (`reason` says which);
 * `not_found`: the shell could not find the command (exit 127); `timed_out`: killed at its deadline.
 */
export type CheckStatus = 'passed' | 'failed' | 'timed_out' | 'not_found' | 'not_run' | 'cancelled';

export interface CheckRun {
  name: string;
  command: string;
  source: CheckSource;
  /** Why it ran now: after an applied change, or before the task may end as done. */
  moment: CheckMoment;
  status: CheckStatus;
  /** Null when it was killed, never started, or not run. */
  exitCode: number | null;
  durationMs: number;
  timeoutMs: number;
  /** What it printed (stdout, then stderr), with the middle cut when it printed more than the cap. */
  output: string;
  /** Bytes printed in all, kept or not. */
  outputBytes: number;
  truncated: boolean;
  sandboxed: boolean;
  /** For `not_run` and `not_found`: why, in a sentence. */
  reason?: string;
}

/** A check's verdict for the done-gate: only a check that ran and did not pass can keep a task from ending. */
export function blocksDone(run: CheckRun): boolean {
  return run.status === 'failed' || run.status === 'timed_out';
}
