// What the Tasks view shows for each worktree task record (core/worktrees/record.ts), and which changes since the last
// look deserve a notification (waiting for approval, ended). Pure: no `vscode`, so it is tested in plain Node.
import type { TaskRecord } from '../core/worktrees/record.js';

export type TaskViewState = 'running' | 'waiting for approval' | 'done' | 'failed' | 'stopped' | 'applied' | 'starting';

export interface TaskRow {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  state: TaskViewState;
  /** For `when` clauses on the row's actions: `task.<state>`. */
  contextValue: string;
}

export function viewState(r: TaskRecord, alive: (pid: number | undefined) => boolean): TaskViewState {
  switch (r.state) {
    case 'creating':
      return alive(r.pid) ? 'starting' : 'stopped';
    case 'running':
      return alive(r.pid) ? 'running' : 'stopped';
    case 'waiting':
      return alive(r.pid) ? 'waiting for approval' : 'stopped';
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
    case 'stopped':
    case 'discarded':
      return 'stopped';
    case 'applied':
      return 'applied';
  }
}

function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

export function taskRow(r: TaskRecord, now: number, alive: (pid: number | undefined) => boolean): TaskRow {
  const state = viewState(r, alive);
  const first = r.task.trim().split('\n')[0] ?? '';
  const label = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  const files = r.filesChanged.length;
  const description = `${state} · ${r.steps} steps · $${r.costUsd.toFixed(4)} · ${elapsed((r.endedAt ?? now) - r.startedAt)}${files ? ` · ${files} file${files === 1 ? '' : 's'}` : ''}`;
  const tooltip = [
    `${r.id} on ${r.branch}`,
    `worktree: ${r.path}`,
    `from ${r.baseCommit.slice(0, 12)}${r.carried ? ' with your uncommitted changes' : ''}`,
    ...(files ? [`files: ${r.filesChanged.join(', ')}`] : []),
    ...(r.error ? [`error: ${r.error}`] : []),
  ].join('\n');
  return { id: r.id, label, description, tooltip, state, contextValue: `task.${state.replace(/ /g, '-')}` };
}

export interface TaskNotice {
  id: string;
  kind: 'waiting' | 'ended';
  message: string;
}

/** Notifications for what changed between two looks: a task started waiting for a person, or ended. */
export function noticesBetween(before: ReadonlyMap<string, TaskViewState>, rows: readonly TaskRow[]): TaskNotice[] {
  const out: TaskNotice[] = [];
  for (const row of rows) {
    const was = before.get(row.id);
    if (was === undefined || was === row.state) continue;
    if (row.state === 'waiting for approval') out.push({ id: row.id, kind: 'waiting', message: `Tiller task "${row.label}" is waiting for your approval.` });
    else if (
      (row.state === 'done' || row.state === 'failed' || row.state === 'stopped') &&
      (was === 'running' || was === 'waiting for approval' || was === 'starting')
    ) {
      out.push({
        id: row.id,
        kind: 'ended',
        message: `Tiller task "${row.label}" ${row.state === 'done' ? 'is done' : row.state}: review it in the Tasks view.`,
      });
    }
  }
  return out;
}
