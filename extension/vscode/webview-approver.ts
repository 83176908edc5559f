// Approvals as cards in the chat view: a tool call, a shell command, a change set (per-file and per-hunk review) or a
// plan (editable steps). The task waits until the card is answered or the task is stopped. Requests the cards do not
// cover (MCP sampling, tool lists, clarifying questions) and any request while the view is not showing go to the
// fallback (the modal dialog). Fails closed: an answer that does not fit the card is ignored and the card keeps
// waiting; a stopped task is a denial.
import { summaryLines } from '../core/sandbox/profile.js';
import { describeEscalation } from '../core/sandbox/approvals.js';
import type { ApprovalDecision, ApprovalRequest, Approver, Logger } from '../core/ports.js';
import { parseFileDiff, selectHunks } from '../core/edits/hunks.js';
import { describeEditOutcomes, editOutcomes } from '../core/edits/review-outcome.js';
import type { ApprovalAnswer, ApprovalView, HostMessage } from '../protocol/messages.js';
import { alwaysRuleFor } from './chat-always-rule.js';
import { escapeControl } from '../core/policy/escape-control.js';

export interface WebviewApproverDeps {
  post(message: HostMessage): void;
  /** True when the chat view is resolved and visible, so someone can see the card. */
  canShow(): boolean;
  fallback: Approver;
  /** A workspace file's current content (null when missing), for applying part of a change. */
  readBase(path: string): Promise<string | null>;
  /** Adds an allow rule to the project's permissions file. */
  addAllowRule(rule: string): Promise<void>;
  log: Logger;
  newId?(): string;
}

interface Pending {
  request: Extract<ApprovalRequest, { kind: 'tool' | 'shell' | 'edit' | 'plan' }>;
  view: ApprovalView;
  resolve(answer: ApprovalAnswer | 'aborted'): void;
}

const STOPPED = 'the task was stopped';

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function policyView(policy: { rule: string; reason: string; source: string }): { rule: string; reason: string; source: string } {
  return { rule: escapeControl(policy.rule), reason: escapeControl(policy.reason), source: policy.source };
}

/** What the card shows for a request; pure, exported for tests. */
export function approvalView(request: Pending['request']): ApprovalView {
  switch (request.kind) {
    case 'tool': {
      const rule = alwaysRuleFor(request);
      return {
        kind: 'tool',
        tool: escapeControl(request.tool),
        args: escapeControl(stringify(request.args)),
        policy: policyView(request.policy),
        ...(rule ? { alwaysRule: rule } : {}),
      };
    }
    case 'shell': {
      const rule = alwaysRuleFor(request);
      // Control, bidirectional and invisible characters are shown as escapes: the card must read as what runs.
      return {
        kind: 'shell',
        command: escapeControl(request.command),
        cwd: escapeControl(request.cwd),
        policy: policyView(request.policy),
        // An escalation is never made permanent from the card: no "Always" for it.
        ...(rule && !request.escalation ? { alwaysRule: rule } : {}),
        ...(request.sandbox ? { sandbox: summaryLines(request.sandbox).map(escapeControl) } : {}),
        ...(request.escalation ? { escalation: escapeControl(`${describeEscalation(request.escalation)} — because: ${request.escalation.reason}`) } : {}),
      };
    }
    case 'edit':
      return {
        kind: 'edit',
        ...(request.changeSet.description ? { description: request.changeSet.description } : {}),
        policy: policyView(request.policy),
        files: request.changeSet.files.map((f) => {
          let hunks: { header: string; lines: string[] }[];
          try {
            hunks = parseFileDiff(f.diff).hunks.map((h) => ({
              header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@${h.section ? ` ${h.section}` : ''}`,
              lines: h.lines.map((l) => l.kind + l.text),
            }));
          } catch {
            // An unparseable diff is shown as one block, reviewable only as a whole file.
            hunks = [{ header: '(diff)', lines: f.diff.split('\n') }];
          }
          return { path: f.path, change: f.newContent === null ? 'delete' : f.baseHash === null ? 'create' : 'modify', hunks };
        }),
      };
    case 'plan':
      return { kind: 'plan', plan: request.plan };
  }
}

/** Reasons that only repeat "denied" are not worth a second word on the card. */
const PLAIN_DENIALS = new Set(['denied by the user', 'the user rejected every change', 'the user rejected every change in the editor review']);

/**
 * The line a closed card shows and, for an edit, the final outcome of every hunk: what the decision actually was,
 * whichever reviewer made it (the card's checkboxes are only what the user ticked before choosing). Pure, for tests.
 */
export function closedCard(
  request: Pending['request'],
  decision: ApprovalDecision,
): Omit<Extract<HostMessage, { type: 'approvalClosed' }>, 'type' | 'approvalId'> {
  const reason = !decision.approved && decision.reason && !PLAIN_DENIALS.has(decision.reason) ? decision.reason : undefined;
  if (request.kind === 'edit') {
    const hunks = editOutcomes(request.changeSet, decision);
    const count = hunks.reduce((n, f) => n + f.hunks.length, 0);
    const said = decision.approved ? describeEditOutcomes(hunks) : count === 1 ? 'the change was not applied' : `none of the ${count} changes applied`;
    return { outcome: `${decision.approved ? 'approved' : 'rejected'}: ${said}${reason ? ` (${reason})` : ''}`, approved: decision.approved, hunks };
  }
  if (decision.approved) return { outcome: decision.scope === 'always' ? 'approved, and the rule was saved' : 'approved', approved: true };
  return { outcome: reason ? `denied: ${reason}` : 'denied', approved: false };
}

function isCardRequest(request: ApprovalRequest): request is Pending['request'] {
  return request.kind === 'tool' || request.kind === 'shell' || request.kind === 'edit' || request.kind === 'plan';
}

/** Why an answer does not fit its card, or undefined when it does. */
export function answerProblem(view: ApprovalView, answer: ApprovalAnswer): string | undefined {
  switch (answer.kind) {
    case 'once':
    case 'deny':
      return undefined;
    case 'always':
      if (view.kind !== 'tool' && view.kind !== 'shell') return `"always" does not apply to a ${view.kind} card`;
      if (!view.alwaysRule || view.alwaysRule !== answer.rule) return 'the rule is not the one the card offered';
      return undefined;
    case 'plan':
      return view.kind === 'plan' ? undefined : `a plan answer for a ${view.kind} card`;
    case 'review_in_editor':
      return view.kind === 'edit' ? undefined : `only an edit can be reviewed in the editor, not a ${view.kind} card`;
    case 'edit':
      if (view.kind !== 'edit') return `an edit answer for a ${view.kind} card`;
      for (const f of answer.files) {
        const file = view.files.find((v) => v.path === f.path);
        if (!file) return `${f.path} is not in the change set`;
        if (f.hunks.some((h) => h >= file.hunks.length)) return `${f.path} has no such hunk`;
      }
      return undefined;
  }
}

export class WebviewApprover implements Approver {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;

  constructor(private readonly deps: WebviewApproverDeps) {}

  /** Ids of the cards waiting for an answer (to show them again after the view reloads). */
  waiting(): { approvalId: string; view: ApprovalView }[] {
    return [...this.pending].map(([approvalId, p]) => ({ approvalId, view: p.view }));
  }

  async approve(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (signal?.aborted) return { approved: false, reason: STOPPED };
    if (!isCardRequest(request) || !this.deps.canShow()) return this.deps.fallback.approve(request, signal);
    const approvalId = this.deps.newId?.() ?? `approval-${Date.now().toString(36)}-${++this.counter}`;
    const view = approvalView(request);
    const answer = await new Promise<ApprovalAnswer | 'aborted'>((resolve) => {
      this.pending.set(approvalId, { request, view, resolve });
      signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
      this.deps.post({ type: 'approval', approvalId, view });
    });
    this.pending.delete(approvalId);
    const decision = await this.decide(request, answer, signal);
    this.deps.post({ type: 'approvalClosed', approvalId, ...closedCard(request, decision) });
    return decision;
  }

  /** Called with the webview's (validated) answer. Returns why it was ignored, if it was. */
  answer(approvalId: string, answer: ApprovalAnswer): string | undefined {
    const pending = this.pending.get(approvalId);
    if (!pending) return 'no card is waiting with this id';
    const problem = answerProblem(pending.view, answer);
    if (problem) {
      this.deps.log.warn(`ignored an approval answer: ${problem}`);
      return problem;
    }
    pending.resolve(answer);
    return undefined;
  }

  askUser(question: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.deps.fallback.askUser(question, signal);
  }

  private async decide(request: Pending['request'], answer: ApprovalAnswer | 'aborted', signal?: AbortSignal): Promise<ApprovalDecision> {
    if (answer === 'aborted') return { approved: false, reason: STOPPED };
    switch (answer.kind) {
      case 'once':
        return { approved: true, scope: 'once' };
      case 'deny':
        return { approved: false, reason: answer.reason.trim() || 'denied by the user' };
      case 'always':
        try {
          await this.deps.addAllowRule(answer.rule);
          return { approved: true, scope: 'always' };
        } catch (error) {
          // The user approved this call; only the rule could not be saved. Say so, and approve this once.
          const message = error instanceof Error ? error.message : String(error);
          this.deps.log.error(message);
          this.deps.post({ type: 'error', message });
          return { approved: true, scope: 'once' };
        }
      case 'plan':
        return { approved: true, plan: answer.plan };
      case 'review_in_editor':
        // The fallback approver reviews edits in VS Code's diff editor; its decision is the card's answer.
        return this.deps.fallback.approve(request, signal);
      case 'edit': {
        if (request.kind !== 'edit') return { approved: false, reason: 'the answer did not fit the request' };
        const reason = answer.reason.trim() || undefined;
        try {
          const selection = new Map(answer.files.map((f) => [f.path, new Set(f.hunks)]));
          const result = await selectHunks(request.changeSet, selection, (p) => this.deps.readBase(p), reason);
          if (result.complete) return { approved: true, scope: 'once' };
          if (!result.changeSet) return { approved: false, reason: reason ?? 'the user rejected every change' };
          return { approved: true, scope: 'once', changeSet: result.changeSet, rejected: result.rejected };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return { approved: false, reason: `the accepted part could not be applied: ${message}` };
        }
      }
    }
  }
}
