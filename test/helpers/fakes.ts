// In-memory stand-ins for the model and the tool host, for unit tests of the loop's decisions. The real model client
// and the real MCP host are exercised by the integration tests (test/integration/cli/), which cross both boundaries.
import type { ChatMessage, ModelClient, ModelRequest, ModelResponse, ToolCall } from '../../extension/core/model/types.js';
import type { ToolCallResult, ToolDescriptor, ToolHost } from '../../extension/core/tools/types.js';
import { ToolHostError } from '../../extension/core/tools/types.js';
import type { ApprovalDecision, ApprovalRequest, Approver, EditApplier } from '../../extension/core/ports.js';
import type { ChangeSet } from '../../extension/core/edits/types.js';
import type { PolicyAction, PolicyDecision, PolicyEngine } from '../../extension/core/policy/types.js';

export interface ScriptStep {
  text?: string;
  calls?: { name: string; args: unknown }[];
  usage?: { prompt: number; completion: number };
  cost?: number;
}

/** A model that plays a script; each entry may be a function of the request (to assert on what it was sent). */
export function scriptedModel(script: (ScriptStep | ((req: ModelRequest) => ScriptStep))[]): ModelClient & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  let n = 0;
  return {
    requests,
    async complete(req: ModelRequest): Promise<ModelResponse> {
      requests.push({ ...req, messages: [...req.messages] as ChatMessage[] });
      if (req.signal?.aborted) throw req.signal.reason ?? new Error('aborted');
      const entry = script[n++];
      if (!entry) throw new Error(`scripted model: no reply left for request ${n}`);
      const step = typeof entry === 'function' ? entry(req) : entry;
      const toolCalls: ToolCall[] = (step.calls ?? []).map((c, i) => ({
        id: `call_${n}_${i}`,
        name: c.name,
        arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args),
      }));
      if (step.text) req.onEvent?.({ type: 'text', delta: step.text });
      return {
        text: step.text ?? '',
        toolCalls,
        finishReason: toolCalls.length ? 'tool_calls' : 'stop',
        usage: { promptTokens: step.usage?.prompt ?? 100, completionTokens: step.usage?.completion ?? 10, cachedPromptTokens: 0, estimated: false },
        costUsd: step.cost ?? 0.001,
        model: req.role === 'small' ? 'small-model' : 'large-model',
        latencyMs: 1,
        attempts: 1,
        usedFallback: false,
        toolProtocol: 'native',
      };
    },
    modelFor: (role) => (role === 'small' ? 'small-model' : 'large-model'),
    estimateCost: (_role, p, c) => (p + c) / 1_000_000,
  };
}

export function tool(name: string, properties: Record<string, unknown> = {}, required: string[] = []): ToolDescriptor {
  const [server, t] = name.split('.') as [string, string];
  return { name, server, tool: t, description: `${name} tool`, inputSchema: { type: 'object', properties, required } };
}

export const BUILTIN_TOOLS: ToolDescriptor[] = [
  tool('workspace.read_file', { path: { type: 'string' } }, ['path']),
  tool('workspace.list_dir', { path: { type: 'string' } }),
  tool('workspace.find_files', { pattern: { type: 'string' } }, ['pattern']),
  tool('workspace.search_text', { query: { type: 'string' } }, ['query']),
  tool('workspace.propose_edit', { path: { type: 'string' }, content: { type: 'string' } }, ['path']),
  tool('shell.run_command', { command: { type: 'string' } }, ['command']),
];

export function fakeHost(handlers: Record<string, (args: Record<string, unknown>) => ToolCallResult | Promise<ToolCallResult>>, tools = BUILTIN_TOOLS): ToolHost & { calls: { name: string; args: Record<string, unknown> }[] } {
  const calls: { name: string; args: Record<string, unknown> }[] = [];
  return {
    calls,
    async listTools() {
      return tools;
    },
    async callTool(name, args) {
      calls.push({ name, args });
      const h = handlers[name];
      if (!h) throw new ToolHostError('unknown_tool', `no handler for ${name}`);
      return h(args);
    },
    async close() {},
  };
}

/** A policy with a fixed table: first matching entry decides; anything else is `allow`. */
export function tablePolicy(table: { match: (a: PolicyAction) => boolean; decision: PolicyDecision['decision'] }[]): PolicyEngine {
  return {
    decide(action) {
      const hit = table.find((t) => t.match(action));
      const decision = hit?.decision ?? 'allow';
      return { decision, rule: hit ? `${decision} (test table)` : 'allow (test default)', source: 'default', reason: `test ${decision}` };
    },
  };
}

export function recordingApprover(answers: (ApprovalDecision | ((r: ApprovalRequest) => ApprovalDecision))[], userAnswers: (string | undefined)[] = []): Approver & { requests: ApprovalRequest[]; questions: string[] } {
  const requests: ApprovalRequest[] = [];
  const questions: string[] = [];
  return {
    requests,
    questions,
    async approve(r) {
      requests.push(r);
      const a = answers.shift();
      if (!a) return { approved: false };
      return typeof a === 'function' ? a(r) : a;
    },
    async askUser(q) {
      questions.push(q);
      return userAnswers.shift();
    },
  };
}

export function recordingApplier(): EditApplier & { applied: ChangeSet[] } {
  const applied: ChangeSet[] = [];
  return {
    applied,
    async apply(cs) {
      applied.push(cs);
      return { ok: true, files: cs.files.map((f) => f.path) };
    },
  };
}
