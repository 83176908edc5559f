// One task through the real harness: a fresh workspace from fixture files, the built MCP servers over stdio, and
// either the scripted fixture model over real HTTP or a real endpoint. Shared by the eval suite and the replay tests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHarness } from '../../../extension/core/harness.js';
import type { ContextHooks } from '../../../extension/core/agent/context-hooks.js';
import type { AgentMode, Budgets, TaskOutcome } from '../../../extension/core/agent/types.js';
import type { ModelConfig, PriceTable } from '../../../extension/core/model/types.js';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../../../extension/core/ports.js';
import type { TraceEvent } from '../../../extension/core/trace/events.js';
import type { CheckSpec } from '../../../extension/core/checks/config.js';
import { readTrace } from '../../../extension/core/trace/read.js';
import { startModelServer, type RecordedRequest, type ScriptedReply, type WireUsage } from '../../fixtures/model-server.js';

export type Script = ScriptedReply[] | ((request: RecordedRequest, index: number) => ScriptedReply);

export interface TaskRunInput {
  files: Record<string, string>;
  task: string;
  mode?: AgentMode;
  agent?: string;
  budgets?: Partial<Budgets>;
  /** The scripted model; ignored when `endpoint` is given. */
  script: Script;
  /** Answers approvals; default: approve everything the rules leave to asking. */
  approve?: (request: ApprovalRequest, index: number) => ApprovalDecision;
  answer?: (question: string) => string | undefined;
  userRules?: { allow?: string[]; ask?: string[]; deny?: string[] };
  /** Agree to the workspace's hooks and allow rules for this run (as --trust-workspace-config does). */
  trustWorkspace?: boolean;
  context?: ContextHooks;
  distDir: string;
  /** A real model endpoint: the script is not used and the real model decides. */
  endpoint?: ModelConfig;
  prices?: PriceTable;
  /** Where the workspace is created (default: a fresh temp dir). */
  workspaceDir?: string;
  /** The user's own checks (as `--check` gives them); a project's go in `.tiller/checks.json` among the files. */
  checks?: CheckSpec[];
  /** Paths outside the workspace a command (a check) may read, e.g. a shared node_modules. */
  sandboxAllowPaths?: string[];
}

export interface TaskRun {
  workspace: string;
  tracePath: string;
  outcome: TaskOutcome;
  events: TraceEvent[];
  /** What the fixture reported as usage, one entry per reply that carried it (empty against a real endpoint). */
  reported: WireUsage[];
  requests: RecordedRequest[];
  approvals: ApprovalRequest[];
  wallMs: number;
}

export const FIXTURE_PRICES: PriceTable = { 'fixture-large': { inputPerMTok: 3, outputPerMTok: 15 }, 'fixture-small': { inputPerMTok: 0.5, outputPerMTok: 2 } };

export function writeWorkspace(files: Record<string, string>, dir = mkdtempSync(join(tmpdir(), 'tiller-eval-ws-'))): string {
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export async function runTaskOnce(input: TaskRunInput): Promise<TaskRun> {
  const started = performance.now();
  const workspace = writeWorkspace(input.files, input.workspaceDir);
  const tracePath = join(mkdtempSync(join(tmpdir(), 'tiller-eval-trace-')), 'trace.jsonl');
  const server = input.endpoint ? undefined : await startModelServer({ script: input.script });
  const approvals: ApprovalRequest[] = [];
  const approver: Approver = {
    async approve(request) {
      approvals.push(request);
      if (input.approve) return input.approve(request, approvals.length - 1);
      // Nobody is at the keyboard: a request for more steps than the budget is declined, everything else approved.
      return { approved: (request.kind as string) !== 'continue' };
    },
    async askUser(question) {
      return input.answer?.(question);
    },
  };
  const model: ModelConfig = input.endpoint ?? { baseUrl: server!.baseUrl, largeModel: 'fixture-large', prices: input.prices ?? FIXTURE_PRICES, maxRetries: 0 };
  try {
    const harness = await createHarness(
      {
        workspaceRoot: workspace, model, approver, distDir: input.distDir, tracePath,
        ...(input.userRules ? { userRules: input.userRules } : {}),
        ...(input.checks ? { checks: input.checks } : {}),
        ...(input.trustWorkspace ? { workspaceConsent: { ask: async () => true, remember: false } } : {}),
        ...(input.sandboxAllowPaths ? { sandbox: { allowPaths: input.sandboxAllowPaths } } : {}),
      },
      input.context ? { context: input.context } : {},
    );
    let outcome: TaskOutcome;
    try {
      outcome = await harness.run(input.task, { mode: input.mode ?? 'act', ...(input.agent ? { agent: input.agent } : {}), ...(input.budgets ? { budgets: input.budgets } : {}) });
    } finally {
      await harness.close();
    }
    return {
      workspace,
      tracePath,
      outcome,
      events: readTrace(tracePath).events,
      reported: server?.reported ?? [],
      requests: server?.requests ?? [],
      approvals,
      wallMs: performance.now() - started,
    };
  } finally {
    await server?.close();
  }
}

/** The text of the last message the model was sent (usually the latest tool result): for scripts that react. */
export function lastMessage(request: RecordedRequest): string {
  const messages = (request.body?.messages ?? []) as { content?: unknown }[];
  const content = messages.at(-1)?.content;
  return typeof content === 'string' ? content : '';
}

export const call = (name: string, args: unknown) => ({ name, arguments: args });
