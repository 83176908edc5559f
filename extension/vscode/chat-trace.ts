// The trace viewer's and context inspector's data, from a session's trace file: one row per model call with its
// tokens, cost and latency and the tool calls it led to (with the policy decision and how each ended). Pure apart
// from reading the file, so it is tested on event lists.
import type { TraceEvent } from '../core/trace/events.js';
import { readTrace } from '../core/trace/read.js';
import { formatDuration } from '../core/trace/duration.js';
import { describeEditOutcomes } from '../core/edits/review-outcome.js';
import { buildLedger, type CostLedger, type LedgerLine } from '../core/trace/ledger.js';
import type { LedgerRow } from '../protocol/messages.js';

export interface TraceStepRow {
  agent: string;
  step: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
  tools: string[];
}

export function traceSteps(events: readonly TraceEvent[]): TraceStepRow[] {
  const rows: TraceStepRow[] = [];
  const byKey = new Map<string, TraceStepRow>();
  const decisions = new Map<string, string>();
  const toolLine = new Map<string, { row: TraceStepRow; index: number }>();
  /** How the user answered an approved call, added to its line when its result comes. */
  const answers = new Map<string, string>();
  for (const e of events) {
    const key = `${e.agent}#${'step' in e ? e.step : 0}`;
    if (e.type === 'model_call') {
      const row: TraceStepRow = {
        agent: e.agent,
        step: e.step,
        promptTokens: e.usage.promptTokens,
        completionTokens: e.usage.completionTokens,
        costUsd: e.costUsd,
        latencyMs: e.latencyMs,
        tools: [],
      };
      const existing = byKey.get(key);
      if (existing) {
        // A retried or second call in the same step (a small-model job): add it up.
        existing.promptTokens += row.promptTokens;
        existing.completionTokens += row.completionTokens;
        existing.costUsd += row.costUsd;
        existing.latencyMs += row.latencyMs;
      } else {
        byKey.set(key, row);
        rows.push(row);
      }
    } else if (e.type === 'tool_call') {
      const row = byKey.get(key);
      if (!row) continue;
      toolLine.set(e.callId, { row, index: row.tools.push(e.tool) - 1 });
    } else if (e.type === 'policy') {
      decisions.set(e.callId, `${e.decision} (${e.rule})`);
    } else if (e.type === 'tool_result') {
      const at = toolLine.get(e.callId);
      if (!at) continue;
      const decision = decisions.get(e.callId);
      const answer = answers.get(e.callId);
      // The tool's own time; the user's time to answer is shown apart, not added to it.
      at.row.tools[at.index] =
        `${e.tool}: ${decision ? `${decision}, ` : ''}${e.isError ? 'error' : 'ok'} in ${formatDuration(e.durationMs)}${answer ? `; ${answer}` : ''}`;
    } else if (e.type === 'approval') {
      const at = toolLine.get(e.callId);
      const waited = e.waitMs !== undefined ? ` after ${formatDuration(e.waitMs)}` : '';
      const hunks = e.hunks ? `: ${describeEditOutcomes(e.hunks)}` : '';
      if (e.approved) answers.set(e.callId, `approved by you${waited}${hunks}`);
      else if (at) at.row.tools[at.index] = `${at.row.tools[at.index]}: denied by you${waited}${e.reason ? ` (${e.reason})` : ''}`;
    }
  }
  return rows;
}

/** The trace file's steps, or a note saying why there are none. */
export function readTraceSteps(path: string | undefined): { steps: TraceStepRow[]; ledger?: LedgerRow[]; note?: string } {
  if (!path) return { steps: [], note: 'No task has run in this window yet.' };
  try {
    const parsed = readTrace(path);
    const steps = traceSteps(parsed.events);
    const ledger = ledgerRows(buildLedger(parsed.events));
    const note = parsed.badLines.length ? `${parsed.badLines.length} line(s) of ${path} could not be read.` : undefined;
    return note ? { steps, ledger, note } : { steps, ledger };
  } catch (error) {
    return { steps: [], note: `Cannot read the trace ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * What the context inspector can show until the harness exposes the items of a prompt: the prompt size of every
 * model call of the last task, largest first, so the user sees where the tokens went.
 */
export function promptSizes(steps: readonly TraceStepRow[]): { label: string; tokens: number; reason: string }[] {
  return steps.map((s) => ({
    label: `${s.agent} step ${s.step}`,
    tokens: s.promptTokens,
    reason: s.tools.length ? `prompt of the call that led to ${s.tools.length} tool call(s)` : 'prompt of the call that answered',
  }));
}

/** The ledger as rows for the trace viewer: by agent, MCP server, tool and model, costliest first within each. */
export function ledgerRows(ledger: CostLedger): LedgerRow[] {
  const groups: [LedgerRow['by'], Record<string, LedgerLine>][] = [
    ['agent', ledger.byAgent],
    ['server', ledger.byServer],
    ['tool', ledger.byTool],
    ['model', ledger.byModel],
  ];
  return groups.flatMap(([by, lines]) =>
    Object.entries(lines)
      .sort((a, b) => b[1].costUsd - a[1].costUsd || b[1].promptTokens - a[1].promptTokens)
      .map(([name, l]) => ({ by, name, modelCalls: l.modelCalls, promptTokens: l.promptTokens, completionTokens: l.completionTokens, costUsd: l.costUsd })),
  );
}
