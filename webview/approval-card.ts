// Approval cards: what will run (tool and arguments, or the command), why the policy asked, and the answers — Approve
// once, Always (which first shows the exact rule and asks to confirm), Deny with an optional reason for the model.
// Plans are editable steps; edits are a diff with per-file and per-hunk checkboxes. The card reports one answer and
// then only shows how it was closed.
import type { ApprovalAnswer, ApprovalView } from '../extension/protocol/messages.js';
import { button, el } from './dom.js';
import {
  editAnswer,
  fileState,
  initialSelection,
  move,
  planToSteps,
  policyParts,
  selectionSummary,
  stepsToPlan,
  toggleFile,
  toggleHunk,
  type EditSelection,
} from './approval-model.js';

export type Answer = (answer: ApprovalAnswer) => void;

function why(policy: { rule: string; reason: string; source: string }): HTMLElement {
  const box = el('div', 'card-why');
  const parts = policyParts(policy);
  box.append(el('span', 'codicon codicon-shield'), document.createTextNode(` ${parts.reason}`));
  if (parts.rule) box.append(document.createTextNode(' (rule '), el('code', '', parts.rule), document.createTextNode(')'));
  if (parts.where) box.append(document.createTextNode(`, from ${parts.where}`));
  return box;
}

/** Deny with a reason: the first click shows the reason field, Enter or the second click sends. Returns the field. */
function denyControls(answer: Answer, row: HTMLElement): HTMLElement {
  const reason = el('input', 'deny-reason');
  reason.type = 'text';
  reason.placeholder = 'Why not? (optional, goes back to the model)';
  reason.setAttribute('aria-label', 'Reason for denying');
  reason.hidden = true;
  const send = (): void => answer({ kind: 'deny', reason: reason.value });
  const deny = button(
    'Deny',
    () => {
      if (reason.hidden) {
        reason.hidden = false;
        reason.focus();
      } else send();
    },
    { icon: 'close', secondary: true },
  );
  reason.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      send();
    }
  });
  row.append(deny);
  return reason;
}

function commandCard(view: Extract<ApprovalView, { kind: 'tool' | 'shell' }>, answer: Answer): HTMLElement {
  const card = el('div', 'card approval');
  const title = el('div', 'card-title');
  if (view.kind === 'shell') {
    title.append(el('span', 'codicon codicon-terminal'), document.createTextNode(' Run a command'));
    card.append(title, el('pre', 'card-command', view.command), el('div', 'card-detail', view.cwd === '.' ? 'in the workspace folder' : `in ${view.cwd}`));
    if (view.escalation) card.append(el('div', 'card-detail card-escalation', `Outside the sandbox: ${view.escalation}`));
    if (view.sandbox) {
      const box = el('div', 'card-detail card-sandbox');
      for (const line of view.sandbox) box.append(el('div', 'card-sandbox-line', line));
      card.append(box);
    }
  } else {
    title.append(el('span', 'codicon codicon-tools'), document.createTextNode(' Call '), el('code', 'tool-name', view.tool));
    card.append(title, el('pre', 'card-args', view.args));
  }
  card.append(why(view.policy));
  const row = el('div', 'card-actions');
  row.append(button('Approve once', () => answer({ kind: 'once' }), { icon: 'check' }));
  card.append(row);
  if (view.alwaysRule) {
    const rule = view.alwaysRule;
    const confirm = el('div', 'always-confirm');
    confirm.hidden = true;
    confirm.append(
      document.createTextNode('Add this rule to .tiller/permissions.json (allow)? '),
      el('code', 'always-rule', rule),
      button('Save rule and approve', () => answer({ kind: 'always', rule }), { icon: 'save' }),
      button(
        'Cancel',
        () => {
          confirm.hidden = true;
        },
        { secondary: true },
      ),
    );
    row.append(
      button(
        'Always…',
        () => {
          confirm.hidden = false;
        },
        { icon: 'check-all', secondary: true, title: `Always allow: ${rule}` },
      ),
    );
    card.append(confirm);
  }
  card.append(denyControls(answer, row));
  return card;
}

function planCard(view: Extract<ApprovalView, { kind: 'plan' }>, answer: Answer): HTMLElement {
  const card = el('div', 'card approval plan-card');
  const title = el('div', 'card-title');
  title.append(el('span', 'codicon codicon-checklist'), document.createTextNode(' Proposed plan — edit, reorder, then approve'));
  const list = el('ol', 'plan-steps');
  const parsed = planToSteps(view.plan);
  let steps = parsed.steps;
  const render = (focus?: number): void => {
    list.replaceChildren();
    steps.forEach((step, i) => {
      const li = el('li', 'plan-step');
      const text = el('textarea', 'plan-text');
      text.value = step;
      text.rows = Math.min(6, Math.max(1, step.split('\n').length, Math.ceil(step.length / 30)));
      text.setAttribute('aria-label', `Step ${i + 1}`);
      text.addEventListener('input', () => {
        steps[i] = text.value;
      });
      li.append(
        text,
        button(
          'Move up',
          () => {
            steps = move(steps, i, i - 1);
            render(Math.max(0, i - 1));
          },
          { icon: 'arrow-up', iconOnly: true },
        ),
        button(
          'Move down',
          () => {
            steps = move(steps, i, i + 1);
            render(Math.min(steps.length - 1, i + 1));
          },
          { icon: 'arrow-down', iconOnly: true },
        ),
        button(
          'Delete step',
          () => {
            steps = steps.filter((_, j) => j !== i);
            render(Math.min(i, steps.length - 1));
          },
          { icon: 'trash', iconOnly: true },
        ),
      );
      list.append(li);
      if (focus === i) queueMicrotask(() => text.focus());
    });
  };
  render();
  const row = el('div', 'card-actions');
  row.append(
    button(
      'Add step',
      () => {
        steps = [...steps, ''];
        render(steps.length - 1);
      },
      { icon: 'add', secondary: true },
    ),
    button(
      'Approve plan',
      () => {
        const plan = stepsToPlan(steps, parsed.intro);
        if (plan) answer({ kind: 'plan', plan });
      },
      { icon: 'check' },
    ),
  );
  card.append(title);
  if (parsed.intro) card.append(el('div', 'card-detail', parsed.intro));
  card.append(list, row);
  card.append(denyControls(answer, row));
  return card;
}

/**
 * Diff lines are rendered a few milliseconds' worth per animation frame, hunk after hunk in one shared queue, so a
 * 5,000-line change set never blocks the view.
 */
const FRAME_BUDGET_MS = 8;
const diffQueue: { lines: string[]; into: HTMLElement; at: number }[] = [];
let diffScheduled = false;

function drainDiffQueue(): void {
  diffScheduled = false;
  const until = performance.now() + FRAME_BUDGET_MS;
  while (diffQueue.length && performance.now() < until) {
    const job = diffQueue[0]!;
    const fragment = document.createDocumentFragment();
    const end = Math.min(job.lines.length, job.at + 100);
    for (; job.at < end; job.at++) {
      const line = job.lines[job.at]!;
      const kind = line[0] === '+' ? 'add' : line[0] === '-' ? 'del' : 'ctx';
      fragment.append(el('div', `diff-line ${kind}`, line));
    }
    job.into.append(fragment);
    if (job.at >= job.lines.length) diffQueue.shift();
  }
  if (diffQueue.length && !diffScheduled) {
    diffScheduled = true;
    requestAnimationFrame(drainDiffQueue);
  }
}

function hunkLines(lines: string[], into: HTMLElement): void {
  diffQueue.push({ lines, into, at: 0 });
  if (!diffScheduled) {
    diffScheduled = true;
    requestAnimationFrame(drainDiffQueue);
  }
}

function editCard(view: Extract<ApprovalView, { kind: 'edit' }>, answer: Answer): HTMLElement {
  const card = el('div', 'card approval edit-card');
  const title = el('div', 'card-title');
  title.append(el('span', 'codicon codicon-diff'), document.createTextNode(` Change ${view.files.length} file${view.files.length === 1 ? '' : 's'}`));
  card.append(title);
  if (view.description) card.append(el('div', 'card-detail', view.description));
  card.append(why(view.policy));
  let selection: EditSelection = initialSelection(view);
  const summary = el('div', 'card-detail selection-summary');
  const fileBoxes: HTMLInputElement[] = [];
  const hunkBoxes: HTMLInputElement[][] = [];
  const sync = (): void => {
    view.files.forEach((_, f) => {
      const state = fileState(selection, f);
      fileBoxes[f]!.checked = state !== 'none';
      fileBoxes[f]!.indeterminate = state === 'some';
      hunkBoxes[f]!.forEach((box, h) => (box.checked = selection[f]![h]!));
    });
    summary.textContent = selectionSummary(selection);
  };
  view.files.forEach((file, f) => {
    const section = el('details', 'diff-file');
    section.open = view.files.length <= 3;
    const head = el('summary', 'diff-file-head');
    const box = el('input');
    box.type = 'checkbox';
    box.setAttribute('aria-label', `Accept ${file.path}`);
    box.addEventListener('change', () => {
      selection = toggleFile(selection, f, box.checked);
      sync();
    });
    box.addEventListener('click', (e) => e.stopPropagation());
    box.setAttribute('data-file-box', String(f));
    fileBoxes.push(box);
    head.append(box, el('span', `diff-change ${file.change}`, file.change), el('span', 'diff-path', file.path));
    section.append(head);
    hunkBoxes.push([]);
    file.hunks.forEach((hunk, h) => {
      const block = el('div', 'diff-hunk');
      // closeCard finds each hunk by these to show its final outcome.
      block.setAttribute('data-file', String(f));
      block.setAttribute('data-hunk', String(h));
      const label = el('label', 'diff-hunk-head');
      const hb = el('input');
      hb.type = 'checkbox';
      hb.setAttribute('aria-label', `Accept change ${h + 1} of ${file.path}`);
      hb.addEventListener('change', () => {
        selection = toggleHunk(view, selection, f, h, hb.checked);
        sync();
      });
      hunkBoxes[f]!.push(hb);
      label.append(hb, el('code', '', hunk.header));
      const body = el('div', 'diff-body');
      hunkLines(hunk.lines, body);
      block.append(label, body);
      section.append(block);
    });
    card.append(section);
  });
  sync();
  const reason = el('input', 'deny-reason');
  reason.type = 'text';
  reason.placeholder = 'Why were changes rejected? (optional, goes back to the model)';
  reason.setAttribute('aria-label', 'Reason for rejected changes');
  const row = el('div', 'card-actions');
  row.append(
    button('Apply selected', () => answer(editAnswer(view, selection, reason.value)), { icon: 'check' }),
    button('Reject all', () => answer({ kind: 'deny', reason: reason.value }), { icon: 'close', secondary: true }),
    button(
      'Review in editor',
      () => {
        // The card waits on the editor now: say so, or it looks stuck with its buttons greyed out.
        card.append(el('div', 'card-detail review-elsewhere', 'Review each change in the editor (Accept / Reject there); this card then shows the outcome.'));
        answer({ kind: 'review_in_editor' });
      },
      { icon: 'diff', secondary: true },
    ),
  );
  card.append(summary, reason, row);
  return card;
}

function walk(node: Element, visit: (node: Element) => void): void {
  for (const child of Array.from(node.children)) {
    visit(child);
    walk(child, visit);
  }
}

/** Builds the card; `answer` is called at most once, after which the buttons are disabled. */
export function approvalCard(view: ApprovalView, send: Answer): HTMLElement {
  let answered = false;
  const answer: Answer = (a) => {
    if (answered) return;
    answered = true;
    walk(card, (node) => {
      if (node.tagName === 'BUTTON' || node.tagName === 'INPUT' || node.tagName === 'TEXTAREA' || ['button', 'input', 'textarea'].includes(node.tagName))
        (node as HTMLButtonElement).disabled = true;
    });
    send(a);
  };
  const card: HTMLElement = view.kind === 'plan' ? planCard(view, answer) : view.kind === 'edit' ? editCard(view, answer) : commandCard(view, answer);
  card.classList.add('pending');
  card.tabIndex = -1;
  return card;
}

export interface ClosedCard {
  outcome: string;
  approved?: boolean;
  /** For an edit: per file (in the card's order), what became of each hunk. */
  hunks?: readonly { path: string; hunks: readonly ('accepted' | 'rejected')[] }[];
}

/**
 * After the extension closes the card: a line saying how, the controls gone. For an edit, the checkboxes and the
 * "N of M accepted" line only said what was ticked before the answer; they are replaced by each hunk's final
 * outcome, so a hunk rejected in the editor, or Reject all, never shows as accepted.
 */
export function closeCard(card: HTMLElement, closed: ClosedCard): void {
  const controls: Element[] = [];
  const hunkBlocks: Element[] = [];
  const fileBoxes: HTMLInputElement[] = [];
  walk(card, (node) => {
    if (/(^| )(card-actions|deny-reason|always-confirm|selection-summary|review-elsewhere)( |$)/.test(node.className)) controls.push(node);
    if (/(^| )diff-hunk( |$)/.test(node.className)) hunkBlocks.push(node);
    if (node.getAttribute('data-file-box') !== null) fileBoxes.push(node as HTMLInputElement);
  });
  for (const node of controls) node.remove();
  if (closed.hunks) {
    for (const box of fileBoxes) {
      const outcomes = closed.hunks[Number(box.getAttribute('data-file-box'))]?.hunks ?? [];
      const accepted = outcomes.filter((o) => o === 'accepted').length;
      box.checked = accepted > 0 && accepted === outcomes.length;
      box.indeterminate = accepted > 0 && accepted < outcomes.length;
    }
    for (const block of hunkBlocks) {
      const file = closed.hunks[Number(block.getAttribute('data-file'))];
      const outcome = file?.hunks[Number(block.getAttribute('data-hunk'))];
      if (!outcome) continue;
      block.classList.add(outcome);
      walk(block, (node) => {
        if (node.tagName.toLowerCase() === 'input') (node as HTMLInputElement).checked = outcome === 'accepted';
      });
      const head = block.firstElementChild ?? block;
      head.append(el('span', `diff-hunk-outcome ${outcome === 'accepted' ? 'ok' : 'no'}`, outcome === 'accepted' ? '✓ accepted' : '✗ rejected'));
    }
  }
  // A closed card answers nothing: its remaining fields (a rebuilt card's checkboxes) are read-only.
  walk(card, (node) => {
    if (['input', 'textarea', 'button'].includes(node.tagName.toLowerCase())) (node as HTMLInputElement).disabled = true;
  });
  card.classList.remove('pending');
  card.classList.add('closed');
  const ok = closed.approved ?? closed.outcome.startsWith('approved');
  card.append(el('div', `card-outcome ${ok ? 'ok' : 'no'}`, closed.outcome));
}
