// The pure part of approval cards: a plan as editable steps and back, and the answer an edit review gives from the
// state of its checkboxes. No DOM here, so it is tested directly.
import type { ApprovalAnswer, ApprovalView } from '../extension/protocol/messages.js';

const STEP = /^\s*(?:\d+[.)]|[-*+])\s+/;

/**
 * Splits a plan into steps: numbered or bulleted lines start a step; other lines continue the previous one. Lines
 * before the first numbered or bulleted line (a heading such as "Plan:") are the intro, kept but not a step. A plan
 * without any numbering is one step per line.
 */
export function planToSteps(plan: string): { intro: string; steps: string[] } {
  const lines = plan
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((l) => l.trim());
  const first = lines.findIndex((l) => STEP.test(l));
  if (first < 0) return { intro: '', steps: lines.map((l) => l.trim()) };
  const steps: string[] = [];
  for (const line of lines.slice(first)) {
    if (STEP.test(line)) steps.push(line.replace(STEP, '').trim());
    else steps[steps.length - 1] = `${steps[steps.length - 1]!}\n${line.trim()}`;
  }
  return {
    intro: lines
      .slice(0, first)
      .map((l) => l.trim())
      .join('\n'),
    steps,
  };
}

/** The intro (if any) and numbered steps; empty steps are dropped. */
export function stepsToPlan(steps: readonly string[], intro = ''): string {
  const numbered = steps
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => `${i + 1}. ${s}`)
    .join('\n');
  return numbered && intro.trim() ? `${intro.trim()}\n${numbered}` : numbered;
}

/** Moves item `from` to `to` (clamped); returns a new array. */
export function move<T>(items: readonly T[], from: number, to: number): T[] {
  const out = [...items];
  if (from < 0 || from >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(to, out.length)), 0, item!);
  return out;
}

/** Per file, per hunk: accepted or not. Starts with everything accepted. */
export type EditSelection = boolean[][];

export function initialSelection(view: Extract<ApprovalView, { kind: 'edit' }>): EditSelection {
  return view.files.map((f) => f.hunks.map(() => true));
}

/** A file that is created or deleted is reviewed whole: toggling one hunk toggles all of them. */
export function toggleHunk(view: Extract<ApprovalView, { kind: 'edit' }>, selection: EditSelection, file: number, hunk: number, on: boolean): EditSelection {
  const whole = view.files[file]?.change !== 'modify';
  return selection.map((hunks, f) => (f !== file ? hunks : hunks.map((v, h) => (whole || h === hunk ? on : v))));
}

export function toggleFile(selection: EditSelection, file: number, on: boolean): EditSelection {
  return selection.map((hunks, f) => (f === file ? hunks.map(() => on) : hunks));
}

/** 'all', 'none' or 'some' of a file's hunks are accepted (the file checkbox shows it, 'some' as indeterminate). */
export function fileState(selection: EditSelection, file: number): 'all' | 'none' | 'some' {
  const hunks = selection[file] ?? [];
  const on = hunks.filter(Boolean).length;
  return on === hunks.length ? 'all' : on === 0 ? 'none' : 'some';
}

export function editAnswer(view: Extract<ApprovalView, { kind: 'edit' }>, selection: EditSelection, reason: string): ApprovalAnswer {
  return {
    kind: 'edit',
    files: view.files.map((f, i) => ({ path: f.path, hunks: (selection[i] ?? []).flatMap((on, h) => (on ? [h] : [])) })).filter((f) => f.hunks.length > 0),
    reason,
  };
}

export function selectionSummary(selection: EditSelection): string {
  const all = selection.flat();
  const on = all.filter(Boolean).length;
  return `${on} of ${all.length} change${all.length === 1 ? '' : 's'} accepted`;
}

const WHERE: Record<string, string> = { user: 'your settings', project: "the project's .tiller/permissions.json" };

/**
 * Why the policy asked, said once: the reason (which for a written rule already names it), the rule only when the
 * reason does not, and where a written rule lives. Tiller's own defaults and checks are named by their reason alone:
 * their rule names ("default: writes ask") only repeat it.
 */
export function policyParts(policy: { rule: string; reason: string; source: string }): { reason: string; rule?: string; where?: string } {
  const reason = policy.reason.trim();
  const where = WHERE[policy.source];
  if (!where) return { reason };
  return { reason, ...(reason.includes(policy.rule) ? {} : { rule: policy.rule }), where };
}
