// Counts how the user answered the changes and commands a task asked about, so the end of the task can say what the
// status alone hides: a "done" task in which every change and command was denied changed nothing. Wraps the
// approver the task is given; free of `vscode`.
import type { TaskOutcome } from '../core/agent/types.js';
import type { ApprovalRequest, Approver } from '../core/ports.js';

export interface ApprovalCounts {
  approved: number;
  denied: number;
}

/** The requests that would change something: edits, shell commands and (possibly writing) tool calls. */
function changes(request: ApprovalRequest): boolean {
  return request.kind === 'edit' || request.kind === 'shell' || request.kind === 'tool';
}

export function countingApprover(inner: Approver): { approver: Approver; counts: ApprovalCounts } {
  const counts: ApprovalCounts = { approved: 0, denied: 0 };
  return {
    counts,
    approver: {
      async approve(request, signal) {
        const decision = await inner.approve(request, signal);
        if (changes(request)) {
          // A partial edit approval that kept nothing is a denial too.
          const keptNothing = decision.approved && decision.changeSet !== undefined && decision.changeSet.files.length === 0;
          if (decision.approved && !keptNothing) counts.approved++;
          else counts.denied++;
        }
        return decision;
      },
      askUser: (question, signal) => inner.askUser(question, signal),
    },
  };
}

/** What the outcome line should add, or undefined. */
export function outcomeNote(outcome: Pick<TaskOutcome, 'status' | 'filesChanged'>, counts: ApprovalCounts): string | undefined {
  if (outcome.status !== 'done' || outcome.filesChanged.length > 0) return undefined;
  if (counts.denied === 0 || counts.approved > 0) return undefined;
  const what =
    counts.denied === 1
      ? 'The one change or command Tiller asked about was denied'
      : `All ${counts.denied} changes and commands Tiller asked about were denied`;
  return `Nothing was changed. ${what}.`;
}
