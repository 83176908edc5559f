// How a check run reads in the terminal: one line with its name, result and time, and for a check that did not pass
// the end of what it printed (the whole output is in the trace).
import type { AgentEvent } from '../core/agent/types.js';
import { escapeControl } from '../core/policy/escape-control.js';
import { formatDuration } from '../core/trace/duration.js';
import { stripAnsi } from '../core/checks/findings.js';

const SHOWN_LINES = 15;

const WORD: Record<Extract<AgentEvent, { type: 'check' }>['status'], string> = {
  passed: 'passed',
  failed: 'FAILED',
  timed_out: 'TIMED OUT',
  not_found: 'command not found',
  not_run: 'not run',
  cancelled: 'cancelled',
};

export function formatCheckEvent(e: Extract<AgentEvent, { type: 'check' }>): string {
  const when = e.after === 'done' ? 'before done' : 'after edit';
  const exit = e.status === 'failed' ? ` (exit ${e.exitCode})` : '';
  const time = e.status === 'not_run' ? '' : `, ${formatDuration(e.durationMs)}`;
  const head = `\n[check ${e.name} ${when}: ${WORD[e.status]}${exit}${time}${e.reason ? ` - ${e.reason}` : ''}]\n`;
  if (e.passed || !e.preview.trim()) return escapeControl(head);
  const lines = stripAnsi(e.preview).replace(/\s+$/, '').split('\n');
  const shown = lines.slice(-SHOWN_LINES).map((l) => `  ! ${l.length > 200 ? `${l.slice(0, 199)}…` : l}`);
  if (lines.length > SHOWN_LINES) shown.unshift(`  … ${lines.length - SHOWN_LINES} earlier lines (the trace has all of it)`);
  return escapeControl(`${head}${shown.join('\n')}\n`);
}
