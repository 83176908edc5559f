// The modal-dialog Approver: the last fallback behind the chat's approval cards (webview-approver.ts) and the inline
// diff review in the editor (EditorReviewApprover), for requests those do not cover (MCP sampling, tool lists) and
// for any request while the chat view is not showing; `askUser` is an input box. Fails closed: closing the dialog,
// cancelling the task or any error is a denial.
import * as vscode from 'vscode';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../core/ports.js';
import { describeApproval, visible } from './approval-text.js';

const APPROVE = 'Approve';
const DENY = 'Deny';

/** Resolves when the signal aborts (never, without a signal). */
function aborted(signal: AbortSignal | undefined): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}

export class DialogApprover implements Approver {
  async approve(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (signal?.aborted) return { approved: false, reason: 'the task was stopped' };
    const { message, detail } = describeApproval(request);
    const answer = await Promise.race([vscode.window.showWarningMessage(message, { modal: true, detail }, APPROVE, DENY), aborted(signal)]);
    if (answer === APPROVE) return { approved: true, scope: 'once' };
    if (answer === 'aborted') return { approved: false, reason: 'the task was stopped' };
    return { approved: false, reason: answer === DENY ? 'denied by the user' : 'the dialog was dismissed' };
  }

  async askUser(question: string, signal?: AbortSignal): Promise<string | undefined> {
    if (signal?.aborted) return undefined;
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = (): void => cancel.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await vscode.window.showInputBox({ title: 'Tiller asks', prompt: visible(question).slice(0, 1000), ignoreFocusOut: true }, cancel.token);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }
}
