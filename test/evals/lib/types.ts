// An eval task: a workspace, a task, a scripted model, and a checker that judges the resulting files and trace.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentMode, Budgets, TaskOutcome } from '../../../extension/core/agent/types.js';
import type { ApprovalDecision, ApprovalRequest } from '../../../extension/core/ports.js';
import type { TraceEvent } from '../../../extension/core/trace/events.js';
import type { Script } from './run-task.js';
import type { CheckSpec } from '../../../extension/core/checks/config.js';

export interface EvalTask {
  name: string;
  files: Record<string, string>;
  task: string;
  mode?: AgentMode;
  /** Run as this custom agent (`--agent`); the workspace's files define it. */
  agent?: string;
  budgets?: Partial<Budgets>;
  userRules?: { allow?: string[]; ask?: string[]; deny?: string[] };
  /** Agree to what the workspace asks to be trusted with (its hooks, allow rules), for this run only. */
  trustWorkspace?: boolean;
  approve?: (request: ApprovalRequest, index: number) => ApprovalDecision;
  answer?: (question: string) => string | undefined;
  /** The user's own checks (`--check`); a project's go in `.tiller/checks.json` among `files`. */
  checks?: CheckSpec[];
  sandboxAllowPaths?: string[];
  /** The scripted model: replies in order, or a function of the request. Not used against a real endpoint. */
  script: Script;
  /** Judges only what a scripted model can show (loop detection, bad tool calls): skipped against a real endpoint. */
  scriptedOnly?: boolean;
  /** Problems found; empty means the task passed. */
  check(result: CheckContext): string[];
}

export interface CheckContext {
  workspace: string;
  /** True when the scripted model ran (trace details it chose can be checked); false against a real endpoint. */
  scripted: boolean;
  outcome: TaskOutcome;
  events: TraceEvent[];
  /** The raw trace file text (to check what never reached it). */
  traceText: string;
  read(path: string): string | undefined;
  /** Runs `node <args>` in the workspace; never throws. */
  node(...args: string[]): { code: number; output: string };
}

export function checkContext(workspace: string, scripted: boolean, outcome: TaskOutcome, events: TraceEvent[], tracePath: string): CheckContext {
  return {
    workspace,
    scripted,
    outcome,
    events,
    traceText: readFileSync(tracePath, 'utf8'),
    read: (path) => (existsSync(join(workspace, path)) ? readFileSync(join(workspace, path), 'utf8') : undefined),
    node: (...args) => {
      try {
        const output = execFileSync(process.execPath, args, { cwd: workspace, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
        return { code: 0, output };
      } catch (err) {
        const e = err as { status?: number; stdout?: string; stderr?: string };
        return { code: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    },
  };
}

/** Collects the failed expectations of a checker. */
export function expectations(): { that(ok: unknown, message: string): void; problems: string[] } {
  const problems: string[] = [];
  return {
    problems,
    that(ok, message) {
      if (!ok) problems.push(message);
    },
  };
}

export const toolCalls = (events: TraceEvent[], tool: string) => events.filter((e) => e.type === 'tool_call' && e.tool === tool);
export const checkRuns = (events: TraceEvent[]) => events.filter((e): e is Extract<TraceEvent, { type: 'check' }> => e.type === 'check');
export const decisions = (events: TraceEvent[], decision: string) => events.filter((e) => e.type === 'policy' && e.decision === decision);
