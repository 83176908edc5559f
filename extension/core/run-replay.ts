// `tiller replay`: re-run a recorded session against the harness as it is now. The model's recorded replies are
// served in order over real HTTP, tool calls run for real in a scratch copy of the workspace, approvals and answers
// are given as recorded; then the two traces are compared fact by fact (see compare.ts).
import { cpSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from './harness.js';
import type { ContextHooks } from './agent/context-hooks.js';
import type { TaskStatus } from './agent/types.js';
import type { PriceTable } from './model/types.js';
import type { TraceEvent } from './trace/events.js';
import { readTrace } from './trace/read.js';
import { replayApprover } from './trace/replay/approver.js';
import { compareFacts, factsOf, type Comparison } from './trace/replay/compare.js';
import { startPlaybackServer } from './trace/replay/playback-server.js';
import { recordedSession, ReplayInputError } from './trace/replay/recorded.js';

export interface ReplayOptions {
  /** The recorded trace: a path, or its events. */
  trace: string | TraceEvent[];
  /** The workspace as it was when the session was recorded; it is copied, never changed. */
  workspace: string;
  /** Where the built MCP server bundles are. */
  distDir: string;
  userRules?: { allow?: string[]; ask?: string[]; deny?: string[] };
  prices?: PriceTable;
  /** Prompt assembly to use instead of the harness's own (tests show that a change to it is caught). */
  context?: ContextHooks;
  /** Keep the scratch workspace (its path is in the report). */
  keepScratch?: boolean;
}

export interface ReplayReport extends Comparison {
  task: string;
  recordedStatus: string;
  replayedStatus: TaskStatus;
  modelCalls: { recorded: number; served: number; overrun: number };
  /** Approvals or questions the recording had no answer for. */
  unanswered: string[];
  replayTrace: string;
  scratch?: string;
}

export async function replaySession(options: ReplayOptions): Promise<ReplayReport> {
  const all = typeof options.trace === 'string' ? loadTrace(options.trace) : options.trace;
  const recorded = recordedSession(all);
  let source: string;
  try {
    source = realpathSync(options.workspace);
  } catch {
    throw new ReplayInputError(`workspace folder not found: ${options.workspace}`);
  }
  if (!statSync(source).isDirectory()) throw new ReplayInputError(`the workspace is not a folder: ${options.workspace}`);

  const base = mkdtempSync(join(tmpdir(), 'tiller-replay-'));
  const scratch = join(base, 'workspace');
  cpSync(source, scratch, { recursive: true });
  const replayTrace = join(base, 'replay.jsonl');
  const server = await startPlaybackServer(recorded.calls);
  const approver = replayApprover(recorded);
  try {
    const harness = await createHarness(
      {
        workspaceRoot: scratch,
        model: {
          baseUrl: server.baseUrl,
          largeModel: recorded.model,
          smallModel: recorded.smallModel,
          maxRetries: 0,
          stream: false,
          toolProtocol: 'native',
          ...(options.prices ? { prices: options.prices } : {}),
        },
        approver,
        distDir: options.distDir,
        tracePath: replayTrace,
        ...(options.userRules ? { userRules: options.userRules } : {}),
      },
      // Played-back replies cost nothing real: keep them out of the day's spending.
      { ...(options.context ? { context: options.context } : {}), dailySpend: { spentToday: () => 0, record() {} } },
    );
    let status: TaskStatus;
    try {
      // The replay's conversation log stays beside its trace, out of the user's sessions.
      status = (await harness.run(recorded.task, { mode: recorded.mode, budgets: recorded.budgets, sessionPath: join(base, 'session.jsonl') })).status;
    } finally {
      await harness.close();
    }
    const replayed = recordedSession(readTrace(replayTrace).events);
    const recordedRoot = workspaceOf(recorded.events);
    const comparison = compareFacts(factsOf(recorded.events, recordedRoot), factsOf(replayed.events, workspaceOf(replayed.events)));
    const end = recorded.events.at(-1);
    return {
      ...comparison,
      task: recorded.task,
      recordedStatus: end?.type === 'session_end' ? end.status : 'unknown',
      replayedStatus: status,
      modelCalls: { recorded: recorded.calls.length, served: server.served(), overrun: server.overrun() },
      unanswered: approver.unanswered,
      replayTrace,
      ...(options.keepScratch ? { scratch } : {}),
    };
  } finally {
    await server.close();
    if (!options.keepScratch) rmSync(scratch, { recursive: true, force: true });
  }
}

function loadTrace(path: string): TraceEvent[] {
  let parsed;
  try {
    parsed = readTrace(path);
  } catch (err) {
    throw new ReplayInputError(`cannot read the trace ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (parsed.events.length === 0) throw new ReplayInputError(`${path} holds no trace events`);
  return parsed.events;
}

function workspaceOf(events: TraceEvent[]): string {
  const start = events.find((e) => e.type === 'session_start' && e.agent === 'main');
  return start?.type === 'session_start' ? start.workspace : '';
}
