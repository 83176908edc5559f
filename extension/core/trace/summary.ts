// `tiller trace show`: what happened in one session, in numbers. Subagent calls count toward the totals (their cost
// is the task's cost) and are also shown on their own.
import type { TraceEvent } from './events.js';

export interface ToolStats {
  calls: number;
  errors: number;
  totalMs: number;
}

export interface TraceSummary {
  session: string;
  task: string;
  status: string;
  steps: number;
  modelCalls: number;
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens: number;
  estimatedCalls: number;
  costUsd: number;
  modelMs: number;
  durationMs: number;
  byTool: Record<string, ToolStats>;
  byAgent: Record<string, { modelCalls: number; costUsd: number; promptTokens: number; completionTokens: number }>;
  decisions: Record<string, number>;
  approvals: { approved: number; denied: number };
  errors: string[];
  badLines: number[];
  complete: boolean;
}

export function summarizeTrace(events: TraceEvent[], badLines: number[] = []): TraceSummary {
  const s: TraceSummary = {
    session: events[0]?.session ?? '',
    task: '',
    status: 'incomplete',
    steps: 0,
    modelCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedPromptTokens: 0,
    estimatedCalls: 0,
    costUsd: 0,
    modelMs: 0,
    durationMs: 0,
    byTool: {},
    byAgent: {},
    decisions: {},
    approvals: { approved: 0, denied: 0 },
    errors: [],
    badLines,
    complete: false,
  };
  const first = events[0]?.t ?? 0;
  let last = first;
  for (const e of events) {
    last = Math.max(last, e.t);
    switch (e.type) {
      case 'session_start':
        if (e.agent === 'main') s.task = e.task;
        break;
      case 'model_call': {
        s.modelCalls++;
        if (e.agent === 'main') s.steps = Math.max(s.steps, e.step);
        s.promptTokens += e.usage.promptTokens;
        s.completionTokens += e.usage.completionTokens;
        s.cachedPromptTokens += e.usage.cachedPromptTokens;
        if (e.usage.estimated) s.estimatedCalls++;
        s.costUsd += e.costUsd;
        s.modelMs += e.latencyMs;
        const a = (s.byAgent[e.agent] ??= { modelCalls: 0, costUsd: 0, promptTokens: 0, completionTokens: 0 });
        a.modelCalls++;
        a.costUsd += e.costUsd;
        a.promptTokens += e.usage.promptTokens;
        a.completionTokens += e.usage.completionTokens;
        break;
      }
      case 'tool_result': {
        const t = (s.byTool[e.tool] ??= { calls: 0, errors: 0, totalMs: 0 });
        t.calls++;
        if (e.isError) t.errors++;
        t.totalMs += e.durationMs;
        break;
      }
      case 'policy':
        s.decisions[e.decision] = (s.decisions[e.decision] ?? 0) + 1;
        break;
      case 'approval':
        if (e.approved) s.approvals.approved++;
        else s.approvals.denied++;
        break;
      case 'error':
      case 'model_error':
        s.errors.push(e.message);
        break;
      case 'session_end':
        if (e.agent === 'main') {
          s.status = e.status;
          s.complete = true;
        }
        break;
      default:
        break;
    }
  }
  s.durationMs = last - first;
  return s;
}

export function formatTraceSummary(s: TraceSummary): string {
  const lines: string[] = [];
  const usd = (n: number) => `$${n.toFixed(6)}`;
  lines.push(`session   ${s.session}`);
  if (s.task) lines.push(`task      ${s.task.length > 100 ? s.task.slice(0, 97) + '...' : s.task}`);
  lines.push(`status    ${s.status}${s.complete ? '' : ' (no session_end: the session was cut off)'}`);
  lines.push(`steps     ${s.steps}    model calls ${s.modelCalls}    time ${(s.durationMs / 1000).toFixed(2)} s (model ${(s.modelMs / 1000).toFixed(2)} s)`);
  lines.push(
    `tokens    prompt ${s.promptTokens} (cached ${s.cachedPromptTokens})    completion ${s.completionTokens}` +
      (s.estimatedCalls ? `    (${s.estimatedCalls} call(s) estimated: provider reported no usage)` : ''),
  );
  lines.push(`cost      ${usd(s.costUsd)}`);
  const agents = Object.entries(s.byAgent);
  if (agents.length > 1) {
    lines.push('by agent');
    for (const [name, a] of agents) lines.push(`  ${name.padEnd(24)} calls ${a.modelCalls}  tokens ${a.promptTokens}+${a.completionTokens}  ${usd(a.costUsd)}`);
  }
  const tools = Object.entries(s.byTool).sort((a, b) => b[1].calls - a[1].calls);
  if (tools.length) {
    lines.push('by tool');
    for (const [name, t] of tools) lines.push(`  ${name.padEnd(32)} calls ${String(t.calls).padStart(3)}  errors ${t.errors}  time ${t.totalMs} ms`);
  }
  const decisions = Object.entries(s.decisions);
  if (decisions.length)
    lines.push(`policy    ${decisions.map(([d, n]) => `${d} ${n}`).join(', ')}    approvals ${s.approvals.approved} yes, ${s.approvals.denied} no`);
  if (s.errors.length) {
    lines.push('errors');
    for (const e of s.errors.slice(0, 10)) lines.push(`  ${e}`);
  }
  if (s.badLines.length) lines.push(`unreadable lines: ${s.badLines.join(', ')}`);
  return lines.join('\n');
}
