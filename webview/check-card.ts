// A check run in the transcript: its name, whether it passed, how long it took, and its output behind a disclosure
// (open at once when it failed, since that output is what the agent is about to act on).
import type { TranscriptEntry } from '../extension/protocol/messages.js';
import { el } from './dom.js';
import { formatDuration } from '../extension/core/trace/duration.js';

export type CheckView = Extract<TranscriptEntry, { kind: 'check' }>;

const RESULT: Record<CheckView['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  timed_out: 'timed out',
  not_found: 'command not found',
  not_run: 'not run',
  cancelled: 'cancelled',
};

/** What the card's head says, e.g. `test failed (exit 1) · 1.2 s · after edit`. */
export function checkHeadline(v: CheckView): string {
  const exit = v.status === 'failed' && v.exitCode !== null ? ` (exit ${v.exitCode})` : '';
  const time = v.status === 'not_run' ? '' : ` · ${formatDuration(v.durationMs)}`;
  return `${v.name} ${RESULT[v.status]}${exit}${time} · ${v.after === 'done' ? 'before done' : 'after edit'}`;
}

export function checkCard(v: CheckView): HTMLElement {
  const passed = v.status === 'passed';
  const card = el('details', `entry check ${passed ? 'ok' : 'error'}`);
  const head = el('summary', 'check-head');
  const mark = el('span', `mark codicon ${passed ? 'codicon-pass' : 'codicon-error'}`);
  mark.setAttribute('aria-label', passed ? 'passed' : 'did not pass');
  head.append(mark, el('span', 'codicon codicon-beaker'), el('span', 'check-name', checkHeadline(v)));
  card.append(head, el('div', 'check-command', v.command));
  if (v.reason) card.append(el('div', 'check-reason', v.reason));
  card.append(el('pre', 'check-output', v.output.trim() ? v.output.slice(-20_000) : '(no output)'));
  if (!passed && v.status !== 'not_run') card.setAttribute('open', '');
  return card;
}
