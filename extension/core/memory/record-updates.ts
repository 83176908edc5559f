// What feeds the task record: the user's own restrictions in the task text, lines the agent marks as decisions or
// notes, tool outcomes that failed (errors, denials, rejected edits), files an applied edit changed, and the steps
// of an approved plan. Pure functions over text, so each rule is tested on its own.
import type { TaskRecord } from './task-record.js';

/** Sentences in the user's words that restrict the work ("don't touch X", "only change Y", "keep Z"). */
const RESTRICTION = /\b(?:don'?t|do not|never|must not|mustn'?t|shouldn'?t|should not|avoid|only|keep|without|leave .+ alone|no new)\b/i;
const MAX_CONSTRAINTS_FROM_TEXT = 10;

export function constraintsFrom(text: string): string[] {
  const sentences = text
    .replace(/\r\n/g, '\n')
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/^[-*\d.)\s]+/, '').trim())
    .filter((s) => s.length >= 6 && s.length <= 300);
  return sentences.filter((s) => RESTRICTION.test(s)).slice(0, MAX_CONSTRAINTS_FROM_TEXT);
}

/** The system prompt asks the agent to mark what it wants kept with `Decision:` or `Note:` at the start of a line. */
export function notesFrom(assistantText: string): string[] {
  const out: string[] = [];
  for (const line of assistantText.split('\n')) {
    const m = /^\s*(?:[-*]\s*)?(decision|note)s?\s*:\s*(.+)$/i.exec(line);
    if (m) out.push(`${m[1]!.toLowerCase() === 'decision' ? 'Decision' : 'Note'}: ${m[2]!.trim()}`);
  }
  return out;
}

/** Numbered or bulleted steps of an approved plan. */
export function planSteps(plan: string): string[] {
  return plan
    .split('\n')
    .map((l) => /^\s*(?:\d+[.)]|[-*])\s+(.+)$/.exec(l)?.[1]?.trim())
    .filter((s): s is string => Boolean(s));
}

/** Steps of the approved plan the agent reports finished: lines like `Done: step 2` or `Done: steps 1, 3` (1-based). */
export function doneStepsFrom(assistantText: string): number[] {
  const out: number[] = [];
  for (const line of assistantText.split('\n')) {
    const m = /^\s*(?:[-*]\s*)?done\s*:\s*steps?\s+([\d,\s and]+)/i.exec(line);
    if (!m) continue;
    for (const n of m[1]!.split(/[^\d]+/)) if (n) out.push(Number(n));
  }
  return out;
}

export interface ObservedCall {
  step: number;
  tool: string;
  args: Record<string, unknown>;
  content: string;
  isError: boolean;
  /** The files the call wrote (an applied edit), as the gate reports them. */
  changedFiles?: readonly string[];
}

export function recordObservation(record: TaskRecord, call: ObservedCall): void {
  if (!call.isError) for (const f of call.changedFiles ?? []) record.touch(f);
  if (call.isError) record.addFailure(`step ${call.step}: ${call.tool} ${describeArgs(call.args)} -> ${firstLine(call.content)}`);
}

/** The argument that identifies a call (its path, command or query), short enough for one line. */
export function describeArgs(args: Record<string, unknown>): string {
  for (const key of ['path', 'command', 'query', 'pattern', 'uri', 'url']) {
    const v = args[key];
    if (typeof v === 'string' && v) return v.length > 120 ? `${v.slice(0, 119)}…` : v;
  }
  return '';
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
