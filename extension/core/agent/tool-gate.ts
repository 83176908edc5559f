// Every tool call the model makes passes through here, in this order: the name is resolved, the arguments are parsed
// and validated against the tool's schema, the permission engine decides each action the call implies, the user is
// asked where the rules say ask, and only then does the MCP host run it. Staged edits come back as change sets and
// are decided and approved as writes before anything touches disk. Nothing here trusts the model or the tool.
import { z } from 'zod';
import type { ToolCall } from '../model/types.js';
import { EDIT_TOOL, SHELL_TOOL } from '../model/builtin-tools.js';
import type { ToolDescriptor, ToolHost, ToolImage } from '../tools/types.js';
import { ToolHostError } from '../tools/types.js';
import { validateToolArgs } from '../tools/schema-validate.js';
import { scannedItems } from '../tools/scan-results.js';
import { annotationsSpareQuestion } from '../tools/trust.js';
import type { PolicyAction, PolicyDecision, PolicyEngine } from '../policy/types.js';
import { strictest } from '../policy/types.js';
import type { ApprovalDecision, Approver, Checkpointer, EditApplier, ShellEscalation } from '../ports.js';
import { NAMED } from '../policy/file-decision.js';
import type { ChangeSet } from '../edits/types.js';
import type { TraceSink } from '../trace/events.js';
import { editOutcomes } from '../edits/review-outcome.js';
import { sentence } from './summary.js';
import { actionsForToolCall, isEditProposal, WORKSPACE_SCAN_TOOLS } from './tool-actions.js';
import { resultHash } from '../trace/replay/hash.js';
import { redactToolResult } from '../trace/redact.js';
import type { HookPermission, ToolHooks } from './hooks/types.js';
import { combineHookPermission } from './hooks/permission.js';

/** Longest tool output handed back to the model; the rest is cut with a note (the tool can be asked for ranges). */
export const MAX_RESULT_CHARS = 40_000;

export interface GateResult {
  content: string;
  isError: boolean;
  /** Set when the user denied an approval without giving a reason: the task stops. */
  stop?: 'denied';
  changedFiles?: string[];
  /** What hooks asked to add to the conversation (`additionalContext`), for the loop to append after the step. */
  hookContext?: string[];
  /** Images the tool returned (MCP image content), for the user message after the tool results. */
  images?: ToolImage[];
}

export interface ToolGateDeps {
  host: ToolHost;
  policy: PolicyEngine;
  approver: Approver;
  editApplier: EditApplier;
  checkpointer?: Checkpointer | undefined;
  trace: TraceSink;
  agent: string;
  now: () => number;
  /** Normalised out of result hashes, so a replay in a scratch copy hashes the same. */
  workspaceRoot?: string;
  /** PreToolUse / PostToolUse hooks; none when absent. */
  hooks?: ToolHooks | undefined;
}

const changeSetSchema = z.object({
  id: z.string().min(1),
  description: z.string().optional(),
  files: z
    .array(
      z.object({
        path: z.string().min(1),
        baseHash: z.string().nullable(),
        newContent: z.string().nullable(),
        diff: z.string(),
      }),
    )
    .min(1),
});

export class ToolGate {
  constructor(
    private readonly deps: ToolGateDeps,
    /** The tools this agent may use, by namespaced name. */
    private readonly tools: Map<string, ToolDescriptor>,
  ) {}

  /** `parsed` is the call's arguments as the loop already parsed them; parsed here when a caller has not. */
  async execute(
    step: number,
    call: ToolCall,
    tool: string | undefined,
    signal?: AbortSignal,
    parsed: ParsedArguments = parseArguments(call.arguments),
  ): Promise<GateResult> {
    const { trace, agent } = this.deps;
    const descriptor = tool ? this.tools.get(tool) : undefined;
    if (!tool || !descriptor) {
      const known = [...this.tools.keys()].join(', ');
      return { content: `Error: there is no tool named \`${call.name}\`. Available tools: ${known}.`, isError: true };
    }
    if (!parsed.ok) {
      return { content: `Error: the arguments for \`${call.name}\` are not a valid JSON object (${parsed.error}); the call was not run.`, isError: true };
    }
    const valid = validateToolArgs(descriptor.inputSchema, parsed.value);
    if (!valid.ok) {
      return { content: `Error: the arguments for \`${call.name}\` do not match its schema: ${valid.error}. The call was not run.`, isError: true };
    }
    const args = parsed.value;
    trace.emit(agent, { type: 'tool_call', step, callId: call.id, tool, args });

    const actions = actionsForToolCall(tool, args);
    const escalation = tool === SHELL_TOOL ? escalationOf(args) : undefined;
    if (escalation) {
      const refused = this.refuseEscalation(escalation);
      if (refused) return refused;
    }
    // PreToolUse hooks first: a block stops the call here; a permission decision joins the rules' below.
    const info = { step, callId: call.id, agent, tool, args, ...(signal ? { signal } : {}) };
    const pre = this.deps.hooks ? await this.deps.hooks.beforeTool(info) : undefined;
    const hookContext = pre?.context.length ? { hookContext: pre.context } : {};
    if (pre?.block !== undefined) {
      return { content: `Blocked by a PreToolUse hook; the call was not run. The hook said:\n${pre.block}`, isError: true, ...hookContext };
    }
    const gate = await this.decideAndApprove(step, call.id, tool, actions, { kind: 'tool', args }, signal, escalation, pre?.permission);
    if ('refusal' in gate) return { ...gate.refusal, ...hookContext };
    const shell = actions.find((a): a is Extract<PolicyAction, { kind: 'shell' }> => a.kind === 'shell');
    if (shell) {
      const failed = await this.checkpoint(step, call.id, { kind: 'shell', command: shell.command });
      if (failed) return failed;
    }

    const started = this.deps.now();
    // The time the user spends reviewing an edit proposal is theirs, not the tool's: it is kept out of durationMs.
    let waited = 0;
    let result: GateResult;
    let cached = false;
    try {
      const r = await this.deps.host.callTool(tool, args, { signal });
      cached = r.cached === true;
      result = { content: r.content, isError: r.isError, ...(r.images?.length ? { images: r.images } : {}) };
      if (!r.isError && isEditProposal(tool)) result = await this.applyProposal(step, call.id, r.structured, signal, (ms) => (waited += ms), pre?.permission);
      else if (!r.isError && WORKSPACE_SCAN_TOOLS.has(tool)) result.content = this.filterDeniedPaths(r.content, r.structured);
    } catch (err) {
      if (signal?.aborted) throw err;
      const message = err instanceof ToolHostError ? `${err.kind}: ${err.message}` : String((err as Error)?.message ?? err);
      result = { content: `Error: the tool \`${tool}\` failed: ${message}`, isError: true };
    }
    trace.emit(agent, {
      type: 'tool_result',
      step,
      callId: call.id,
      tool,
      isError: result.isError,
      durationMs: Math.round(Math.max(0, this.deps.now() - started - waited)),
      chars: result.content.length,
      hash: resultHash(result.content, this.deps.workspaceRoot),
      ...(cached ? { cached: true } : {}),
    });
    // Secrets never reach the model, whichever tool printed them (`git remote -v` shows tokens in URLs); redacted
    // before the cap so a token is never cut into a part the patterns no longer recognise.
    result.content = capResult(redactToolResult(result.content));
    if (this.deps.hooks) {
      // Hooks see what the model will see (secrets already redacted); what they say back is added to it.
      const post = await this.deps.hooks.afterTool({ ...info, result: { content: result.content, isError: result.isError } });
      if (post.feedback !== undefined) result.content += `\n\n[PostToolUse hook] ${post.feedback}`;
      const context = [...(pre?.context ?? []), ...post.context];
      if (context.length) result.hookContext = context;
    }
    return result;
  }

  /**
   * Decide every action; deny wins, then ask. Returns a result to hand back to the model when the call must not run,
   * or undefined when it may.
   */
  private async decideAndApprove(
    step: number,
    callId: string,
    tool: string,
    actions: PolicyAction[],
    request: { kind: 'tool'; args: unknown } | { kind: 'edit'; changeSet: ChangeSet },
    signal?: AbortSignal,
    escalation?: ShellEscalation,
    hook?: HookPermission,
  ): Promise<({ refusal: GateResult } | { approval?: Extract<ApprovalDecision, { approved: true }> }) & { waitMs?: number }> {
    const decisions: PolicyDecision[] = [];
    for (const action of actions) {
      const d = this.deps.policy.decide(action);
      decisions.push(d);
      this.deps.trace.emit(this.deps.agent, { type: 'policy', step, callId, action, decision: d.decision, rule: d.rule, source: d.source, reason: d.reason });
    }
    // Reaching outside the workspace is what an escalation asks for: that default deny becomes the person's question
    // (the sandbox still opens only the paths the escalation names). Every other deny binds.
    // A hook may deny or ask; its allow skips a rule's ask only when it is the user's own hook (hooks/permission.ts).
    const worst = combineHookPermission(
      strictest(escalation ? decisions.filter((d) => !(d.decision === 'deny' && d.rule === NAMED.outside)) : decisions),
      hook,
    );
    if (hook)
      this.deps.trace.emit(this.deps.agent, {
        type: 'policy',
        step,
        callId,
        action: actions[0] ?? { kind: 'mcp', tool },
        decision: worst?.decision ?? 'allow',
        rule: hook.rule,
        source: hook.source,
        reason: `with the hook's ${hook.decision}: ${hook.reason}`,
      });
    // More than the sandbox gives is never granted by a rule's allow: a person is asked (denies still bind below).
    if (escalation && worst?.decision !== 'deny') {
      const policy = {
        decision: 'ask' as const,
        rule: 'builtin: sandbox escalation',
        source: 'builtin' as const,
        reason: `the command asks to run with more than the sandbox gives: ${escalation.reason}`,
      };
      return this.approveShell(step, callId, actions, request, policy, signal, escalation);
    }
    if (!worst || worst.decision === 'allow') return {};
    if (worst.decision === 'ask' && hook?.decision !== 'ask' && annotationsSpareQuestion(this.tools.get(tool), actions, decisions)) {
      this.deps.trace.emit(this.deps.agent, {
        type: 'notice',
        step,
        message: `${tool} ran without asking: its server is trusted in the user's settings and marks it read-only`,
      });
      return {};
    }
    if (worst.decision === 'deny') {
      return {
        refusal: {
          content: `Denied by ${hook && worst.rule === hook.rule ? 'a hook' : 'the permission rules'} (${worst.rule}): ${worst.reason}. Do not try to get around this rule; choose another approach or explain what you need.`,
          isError: true,
        },
      };
    }
    return this.approveShell(step, callId, actions, request, worst, signal, undefined, tool);
  }

  private async approveShell(
    step: number,
    callId: string,
    actions: PolicyAction[],
    request: { kind: 'tool'; args: unknown } | { kind: 'edit'; changeSet: ChangeSet },
    worst: PolicyDecision,
    signal: AbortSignal | undefined,
    escalation: ShellEscalation | undefined,
    tool = SHELL_TOOL,
  ): Promise<({ refusal: GateResult } | { approval?: Extract<ApprovalDecision, { approved: true }> }) & { waitMs?: number }> {
    const shell = actions.find((a): a is Extract<PolicyAction, { kind: 'shell' }> => a.kind === 'shell');
    const asked = this.deps.now();
    const approval =
      request.kind === 'edit'
        ? await this.deps.approver.approve({ kind: 'edit', changeSet: request.changeSet, policy: worst }, signal)
        : shell
          ? await this.deps.approver.approve(
              { kind: 'shell', command: shell.command, cwd: shell.cwd ?? '.', policy: worst, ...(escalation ? { escalation } : {}) },
              signal,
            )
          : await this.deps.approver.approve({ kind: 'tool', tool, args: request.args, policy: worst }, signal);
    const waitMs = this.deps.now() - asked;
    this.deps.trace.emit(this.deps.agent, {
      type: 'approval',
      step,
      callId,
      kind: request.kind === 'edit' ? 'edit' : shell ? 'shell' : 'tool',
      approved: approval.approved,
      ...(approval.approved ? {} : { reason: approval.reason }),
      ...(request.kind === 'edit' ? { hunks: editOutcomes(request.changeSet, approval) } : {}),
      waitMs: Math.round(waitMs),
    });
    if (approval.approved) return { approval, waitMs };
    if (approval.reason) return { refusal: { content: `The user declined this and said: ${approval.reason}`, isError: true }, waitMs };
    return { refusal: { content: 'The user declined this action and stopped the task.', isError: true, stop: 'denied' }, waitMs };
  }

  /**
   * Denies bind on escalations too: a host a rule denies, or a path a deny rule (a secret included) covers, is refused
   * before anyone is asked. Only "outside the workspace" is not a refusal here; reaching outside is what is asked.
   */
  private refuseEscalation(e: ShellEscalation): GateResult | undefined {
    const denied: PolicyDecision[] = [];
    for (const host of e.network) {
      const d = this.deps.policy.decide({ kind: 'net', host });
      if (d.decision === 'deny') denied.push(d);
    }
    for (const path of e.write) {
      const d = this.deps.policy.decide({ kind: 'write', path });
      if (d.decision === 'deny' && d.rule !== NAMED.outside) denied.push(d);
    }
    const first = denied[0];
    if (!first) return undefined;
    return {
      content: `Denied by the permission rules (${first.rule}): ${first.reason}. An escalation cannot lift a deny; choose another approach.`,
      isError: true,
    };
  }

  /** A checkpoint before the workspace changes; a checkpoint that fails stops the change (nothing to restore to). */
  private async checkpoint(
    step: number,
    callId: string,
    change: { kind: 'edit'; files: string[] } | { kind: 'shell'; command: string },
  ): Promise<GateResult | undefined> {
    if (!this.deps.checkpointer) return undefined;
    try {
      const id = await this.deps.checkpointer.beforeChange(change);
      if (id) this.deps.trace.emit(this.deps.agent, { type: 'checkpoint', step, callId, id, kind: change.kind });
      return undefined;
    } catch (err) {
      return { content: `Error: not run, because the checkpoint before it could not be saved: ${(err as Error).message}`, isError: true };
    }
  }

  private async applyProposal(
    step: number,
    callId: string,
    structured: Record<string, unknown> | undefined,
    signal: AbortSignal | undefined,
    waited: (ms: number) => void,
    hook?: HookPermission,
  ): Promise<GateResult> {
    const parsed = changeSetSchema.safeParse(structured?.changeSet);
    if (!parsed.success) {
      return {
        content: `Error: the edit proposal came back without a valid change set (${parsed.error.issues[0]?.message ?? 'unknown shape'}).`,
        isError: true,
      };
    }
    const changeSet: ChangeSet = parsed.data;
    const paths = changeSet.files.map((f) => f.path);
    const actions: PolicyAction[] = paths.map((path) => ({ kind: 'write', path }));
    const gate = await this.decideAndApprove(step, callId, EDIT_TOOL, actions, { kind: 'edit', changeSet }, signal, undefined, hook);
    waited(gate.waitMs ?? 0);
    if ('refusal' in gate) {
      this.deps.trace.emit(this.deps.agent, { type: 'edit', step, callId, changeSet: changeSet.id, files: paths, applied: false, error: 'not approved' });
      return gate.refusal;
    }
    const accepted = acceptedPart(changeSet, gate.approval);
    if ('error' in accepted) return { content: `Error: ${accepted.error}; nothing was written.`, isError: true };
    const rejectedNote = describeRejections(gate.approval?.rejected);
    if (accepted.changeSet.files.length === 0) {
      this.deps.trace.emit(this.deps.agent, { type: 'edit', step, callId, changeSet: changeSet.id, files: [], applied: false, error: 'every part rejected' });
      return { content: `The user rejected every part of this edit.${rejectedNote}`, isError: true };
    }
    const failed = await this.checkpoint(step, callId, { kind: 'edit', files: accepted.changeSet.files.map((f) => f.path) });
    if (failed) return failed;
    const applied = await this.deps.editApplier.apply(accepted.changeSet);
    if (!applied.ok) {
      this.deps.trace.emit(this.deps.agent, { type: 'edit', step, callId, changeSet: changeSet.id, files: paths, applied: false, error: applied.error });
      const conflict = applied.conflicts.length
        ? ` Changed on disk since the proposal: ${applied.conflicts.join(', ')}; read them again and propose a new edit.`
        : '';
      return { content: `Error: the edit was not applied, nothing was written: ${sentence(applied.error)}${conflict}`, isError: true };
    }
    this.deps.trace.emit(this.deps.agent, { type: 'edit', step, callId, changeSet: changeSet.id, files: applied.files, applied: true });
    const diffs = accepted.changeSet.files.map((f) => f.diff).join('\n');
    return { content: `Applied the edit to ${applied.files.join(', ')}.${rejectedNote}\n${diffs}`, isError: false, changedFiles: applied.files };
  }

  /**
   * Drop lines of a search or file listing that name a file the read rules deny (`.env` contents, for one). The
   * workspace server already leaves them out (deny at use); this is the second line for any server that does not,
   * and like the first it says nothing about what it dropped: a count of omitted lines was an oracle that let a
   * model rebuild a denied file one search at a time. A line the result's structure names is decided on the path
   * the structure gives; any other line (no structure, or text the structure does not account for) on the path
   * read from its text, so a result without structure is filtered as before (fail closed).
   */
  private filterDeniedPaths(content: string, structured: Record<string, unknown> | undefined): string {
    const denied = (path: string) => this.deps.policy.decide({ kind: 'read', path }).decision === 'deny';
    const byLine = new Map<string, boolean>();
    for (const item of scannedItems(structured) ?? []) byLine.set(item.line, (byLine.get(item.line) ?? false) || denied(item.path));
    return content
      .split('\n')
      .filter((line) => {
        const known = byLine.get(line);
        if (known !== undefined) return !known;
        const path = leadingPath(line);
        return !path || !denied(path);
      })
      .join('\n');
  }
}

/**
 * What to apply after approval: the whole proposal, or the part the user accepted. A partial change set may only
 * touch files that were proposed (it is the UI's answer, not a new proposal).
 */
function acceptedPart(proposed: ChangeSet, approval: Extract<ApprovalDecision, { approved: true }> | undefined): { changeSet: ChangeSet } | { error: string } {
  if (!approval?.changeSet) return { changeSet: proposed };
  const parsed = changeSetSchema.extend({ files: changeSetSchema.shape.files.element.array() }).safeParse(approval.changeSet);
  if (!parsed.success) return { error: 'the accepted part of the edit is malformed' };
  const proposedPaths = new Set(proposed.files.map((f) => f.path));
  const stray = parsed.data.files.find((f) => !proposedPaths.has(f.path));
  if (stray) return { error: `the accepted edit touches ${stray.path}, which was not proposed` };
  return { changeSet: parsed.data };
}

function describeRejections(rejected: { path: string; hunk?: number; reason?: string }[] | undefined): string {
  if (!rejected?.length) return '';
  const parts = rejected.map((r) => `${r.path}${r.hunk !== undefined ? ` hunk ${r.hunk}` : ''}${r.reason ? ` (${r.reason})` : ''}`);
  return ` The user rejected: ${parts.join('; ')}.`;
}

/** `src/a.ts:12: text` or a bare path line. Returns undefined for lines that are not about a file. */
function leadingPath(line: string): string | undefined {
  const hit = /^(.+?):\d+[:-]/.exec(line);
  if (hit) return hit[1];
  const trimmed = line.trim();
  if (!trimmed || trimmed.startsWith('[') || trimmed.includes(' ')) return undefined;
  return trimmed.replace(/\/$/, '');
}

/** The `escalate` argument of run_command, validated already by the tool's schema; undefined when absent. */
function escalationOf(args: Record<string, unknown>): ShellEscalation | undefined {
  const e = args.escalate as { reason?: unknown; network?: unknown; write?: unknown } | undefined;
  if (!e || typeof e !== 'object') return undefined;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { reason: typeof e.reason === 'string' ? e.reason : '(no reason given)', network: list(e.network), write: list(e.write) };
}

export type ParsedArguments = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** A call's JSON arguments: an object, or why not. An empty string is no arguments. */
export function parseArguments(text: string): ParsedArguments {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'expected a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

function capResult(content: string): string {
  if (content.length <= MAX_RESULT_CHARS) return content;
  const head = content.slice(0, MAX_RESULT_CHARS);
  return `${head}\n[... ${content.length - MAX_RESULT_CHARS} more characters cut: ask for a narrower range or a more specific search]`;
}
