// Approvals and questions answered as the user answered them in the recording, in order. A request the recording
// does not have an answer for (more approvals than recorded, or a different kind) is declined, which stops the task:
// the replay then reports the difference rather than guessing what the user would have said.
import type { ApprovalDecision, ApprovalRequest, Approver } from '../../ports.js';
import type { RecordedSession } from './recorded.js';

export interface ReplayApprover extends Approver {
  /** Requests that found no matching recorded answer. */
  readonly unanswered: string[];
}

export function replayApprover(recorded: Pick<RecordedSession, 'approvals' | 'questions'>): ReplayApprover {
  const approvals = [...recorded.approvals];
  const questions = [...recorded.questions];
  const unanswered: string[] = [];
  return {
    unanswered,
    async approve(request: ApprovalRequest): Promise<ApprovalDecision> {
      // Tool-list approvals are not part of a trace; the recorded session ran with these servers, so it had them.
      if (request.kind === 'mcp_tools') return { approved: true };
      if (request.kind === 'sampling') return { approved: false };
      const next = approvals.shift();
      if (!next || next.kind !== request.kind) {
        unanswered.push(
          next
            ? `${request.kind} approval asked where the recording has ${next.kind} approval`
            : `${request.kind} approval asked that the recording does not have`,
        );
        return { approved: false };
      }
      if (next.approved) return { approved: true };
      return next.reason ? { approved: false, reason: next.reason } : { approved: false };
    },
    async askUser(question: string): Promise<string | undefined> {
      const next = questions.shift();
      if (!next) {
        unanswered.push(`a question the recording does not have: ${question}`);
        return undefined;
      }
      return next.answer ?? undefined;
    },
  };
}
