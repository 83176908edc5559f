// The cost ledger: what a session spent, from the provider's reported usage (the trace marks calls where the provider
// reported none and Tiller estimated), summed per task, per agent, per tool and per MCP server. A model call's cost
// is split evenly over the tool calls it produced — those calls are what the money bought; a call that produced
// none is the answer. Shown by `tiller trace show` and handed to the trace viewer as JSON.
import type { PriceTable } from '../model/types.js';
import { costOf, priceFor } from '../model/cost.js';
import { fromModelToolName } from '../model/tool-names.js';
import type { TraceEvent } from './events.js';

export interface LedgerLine {
  /** Model calls counted here; fractional for tools and servers (a call's share). */
  modelCalls: number;
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens: number;
  costUsd: number;
  /** Calls whose usage is Tiller's estimate because the provider reported none. */
  estimatedCalls: number;
}

export interface CostLedger {
  total: LedgerLine;
  /** One entry per task started in the trace (a session may run several), in order. */
  tasks: ({ task: string } & LedgerLine)[];
  byAgent: Record<string, LedgerLine>;
  byModel: Record<string, LedgerLine>;
  byTool: Record<string, LedgerLine>;
  byServer: Record<string, LedgerLine>;
  /** How cost was priced: as recorded by the client, or repriced from a table given to the ledger. */
  pricing: 'recorded' | 'table';
}

/** Where a model call that produced no tool call is booked. */
export const ANSWER = '(answer)';
/** The server name for the harness's own tools (ask_user, explore), which no MCP server provides. */
export const HARNESS = '(harness)';

export interface LedgerOptions {
  /** Reprice every call whose model the table knows; others keep their recorded cost. */
  prices?: PriceTable;
}

function emptyLine(): LedgerLine {
  return { modelCalls: 0, promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0, costUsd: 0, estimatedCalls: 0 };
}

function add(into: LedgerLine, from: LedgerLine, share: number): void {
  into.modelCalls += from.modelCalls * share;
  into.promptTokens += from.promptTokens * share;
  into.completionTokens += from.completionTokens * share;
  into.cachedPromptTokens += from.cachedPromptTokens * share;
  into.costUsd += from.costUsd * share;
  into.estimatedCalls += from.estimatedCalls * share;
}

/** `workspace__read_file` -> `workspace.read_file`; names that do not map back (control tools) stay as they are. */
function toolName(modelName: string): string {
  return fromModelToolName(modelName) ?? modelName;
}

function serverOf(tool: string): string {
  if (tool === ANSWER) return ANSWER;
  const dot = tool.indexOf('.');
  return dot > 0 ? tool.slice(0, dot) : HARNESS;
}

export function buildLedger(events: TraceEvent[], options: LedgerOptions = {}): CostLedger {
  const ledger: CostLedger = {
    total: emptyLine(),
    tasks: [],
    byAgent: {},
    byModel: {},
    byTool: {},
    byServer: {},
    pricing: options.prices ? 'table' : 'recorded',
  };
  let task: ({ task: string } & LedgerLine) | undefined;
  // The gate records each call's namespaced tool name; it beats mapping the model-facing name back (hashed names
  // of third-party tools do not map back without the tool list).
  const byCallId = new Map<string, string>();
  for (const e of events) if (e.type === 'tool_call') byCallId.set(`${e.agent}\u0000${e.callId}`, e.tool);
  for (const e of events) {
    if (e.type === 'session_start' && e.agent === 'main') {
      task = { task: e.task, ...emptyLine() };
      ledger.tasks.push(task);
      continue;
    }
    if (e.type !== 'model_call') continue;
    const repriced = options.prices && priceFor(options.prices, e.model) ? costOf(options.prices, e.model, e.usage) : undefined;
    const call: LedgerLine = {
      modelCalls: 1,
      promptTokens: e.usage.promptTokens,
      completionTokens: e.usage.completionTokens,
      cachedPromptTokens: e.usage.cachedPromptTokens,
      costUsd: repriced ?? e.costUsd,
      estimatedCalls: e.usage.estimated ? 1 : 0,
    };
    add(ledger.total, call, 1);
    if (task) add(task, call, 1);
    add((ledger.byAgent[e.agent] ??= emptyLine()), call, 1);
    add((ledger.byModel[e.model] ??= emptyLine()), call, 1);
    const names = e.reply ? e.reply.toolCalls.map((c) => byCallId.get(`${e.agent}\u0000${c.id}`) ?? toolName(c.name)) : e.toolCalls.map(toolName);
    const tools = names.length ? names : [ANSWER];
    const share = 1 / tools.length;
    for (const tool of tools) {
      add((ledger.byTool[tool] ??= emptyLine()), call, share);
      add((ledger.byServer[serverOf(tool)] ??= emptyLine()), call, share);
    }
  }
  return ledger;
}

export function formatLedger(l: CostLedger): string {
  const usd = (n: number) => `$${n.toFixed(6)}`;
  const tokens = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const row = (name: string, x: LedgerLine) =>
    `  ${name.padEnd(32)} ${usd(x.costUsd).padStart(11)}  tokens ${tokens(x.promptTokens)}+${tokens(x.completionTokens)}  calls ${tokens(x.modelCalls)}` +
    (x.estimatedCalls ? `  (${tokens(x.estimatedCalls)} estimated)` : '');
  const section = (title: string, entries: Record<string, LedgerLine>) => {
    const sorted = Object.entries(entries).sort((a, b) => b[1].costUsd - a[1].costUsd || a[0].localeCompare(b[0]));
    return sorted.length ? [title, ...sorted.map(([n, x]) => row(n, x))] : [];
  };
  const lines = [`cost ledger (${l.pricing === 'table' ? 'priced from the price table' : 'as priced when recorded'}; tool shares split each call evenly)`];
  lines.push(row('total', l.total));
  if (l.tasks.length > 1) l.tasks.forEach((t, i) => lines.push(row(`task ${i + 1}: ${t.task.slice(0, 20)}`, t)));
  lines.push(...section('by agent', l.byAgent), ...section('by model', l.byModel), ...section('by tool', l.byTool), ...section('by server', l.byServer));
  if (l.total.estimatedCalls) lines.push(`${l.total.estimatedCalls} call(s) estimated: the provider reported no usage for them`);
  return lines.join('\n');
}
