// The CLI's exit codes are part of its interface: scripts and CI branch on them.
import type { TaskOutcome } from '../core/agent/types.js';
import type { TaskErrorKind } from '../core/agent/error-kinds.js';

export const EXIT = {
  done: 0,
  failed: 1,
  usage: 2, // bad flags, bad configuration, unreadable task file, unreachable or misconfigured endpoint
  budget: 3,
  denied: 4,
  interrupted: 130, // Ctrl+C, by shell convention
} as const;

/** Model errors that mean the configuration is wrong rather than the task failing. */
const CONFIG_ERROR_KINDS: ReadonlySet<TaskErrorKind> = new Set<TaskErrorKind>(['config', 'auth', 'not_found', 'bad_response']);

export function exitCodeFor(outcome: TaskOutcome): number {
  switch (outcome.status) {
    case 'done':
      return EXIT.done;
    case 'budget_exhausted':
      return EXIT.budget;
    case 'denied':
      return EXIT.denied;
    case 'cancelled':
      return EXIT.interrupted;
    case 'failed':
      if (outcome.errorKind && CONFIG_ERROR_KINDS.has(outcome.errorKind)) return EXIT.usage;
      // An endpoint that never answered a single call is a wrong base URL, not a failed task.
      if (outcome.errorKind === 'network' && outcome.totals.modelCalls === 0) return EXIT.usage;
      return EXIT.failed;
  }
}

/** A problem with how the CLI was invoked or configured; printed without a stack, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
