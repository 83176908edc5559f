// An approver that sends edits to the editor's diff review and everything else to another approver (the modal
// dialog): used where no chat card can be shown, so a change set is still reviewed hunk by hunk rather than as one
// yes/no dialog over a diff the user cannot see.
import type { ApprovalDecision, ApprovalRequest, Approver } from '../../core/ports.js';
import type { ChangeSet } from '../../core/edits/types.js';

export interface InlineReviewOpener {
  openInlineReview(changeSet: ChangeSet, signal?: AbortSignal): Promise<ApprovalDecision>;
}

export class EditorReviewApprover implements Approver {
  constructor(
    private readonly inner: Approver,
    private readonly review: InlineReviewOpener,
  ) {}

  approve(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (request.kind === 'edit') return this.review.openInlineReview(request.changeSet, signal);
    return this.inner.approve(request, signal);
  }

  askUser(question: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.inner.askUser(question, signal);
  }
}
