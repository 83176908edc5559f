// The messages between the chat webview and the extension host, defined once and validated on both sides: the
// extension checks what the webview sends (a compromised webview must not be able to run arbitrary input past the
// schema), the webview checks what it receives. A message that fails is dropped and logged with the field that was
// wrong. This module imports only zod/mini (the tree-shakable build: ~25 KB in the webview bundle instead of ~450 KB
// for classic zod with every locale) so the webview can use it too.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { AgentEvent, TaskOutcome } from '../core/agent/types.js';
import { MAX_TASK_CHARS } from '../core/agent/task-limit.js';
import { TASK_ERROR_KINDS } from '../core/agent/error-kinds.js';

export { MAX_TASK_CHARS, taskSizeProblem } from '../core/agent/task-limit.js';
import { MAX_IMAGE_BYTES } from '../core/model/image-format.js';

/** Images one task may carry from the composer. */
export const MAX_TASK_IMAGES = 8;
/** Base64 of the largest image the extension accepts (it checks the bytes again: magic number, size). */
const MAX_IMAGE_BASE64_CHARS = Math.ceil(MAX_IMAGE_BYTES / 3) * 4;

/** An image pasted or dropped into the composer, as the webview read it; stored by the extension, not trusted. */
const imageUpload = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  dataBase64: z.string().check(z.minLength(1), z.maxLength(MAX_IMAGE_BASE64_CHARS), z.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')),
});
export type ImageUpload = z.infer<typeof imageUpload>;

// English error messages (zod/mini ships none by default); the same setting classic zod applies on import.
z.config(en());

/** Correlates a task's messages. The webview makes it up (a UUID); the extension echoes it. */
const requestId = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'));

const mode = z.enum(['plan', 'act']);

const totals = z.object({
  steps: z.number(),
  modelCalls: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  cachedPromptTokens: z.number(),
  costUsd: z.number(),
  toolCalls: z.number(),
  durationMs: z.number(),
});

const status = z.enum(['done', 'failed', 'budget_exhausted', 'denied', 'cancelled']);

const outcome = z.object({
  status,
  summary: z.string(),
  plan: z.optional(z.string()),
  exhausted: z.optional(z.enum(['steps', 'tokens', 'cost', 'daily_cost', 'time'])),
  error: z.optional(z.string()),
  errorKind: z.optional(z.enum(TASK_ERROR_KINDS)),
  totals,
  filesChanged: z.array(z.string()),
  sessionPath: z.optional(z.string()),
});

const checkMoment = z.enum(['edit', 'done']);
const checkStatus = z.enum(['passed', 'failed', 'timed_out', 'not_found', 'not_run', 'cancelled']);

/** Mirrors core/agent/types.ts AgentEvent; the compile-time checks at the bottom keep the two in step. */
export const agentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: z.number() }),
  z.object({ type: z.literal('text'), delta: z.string() }),
  z.object({ type: z.literal('text_reset') }),
  z.object({ type: z.literal('tool_call'), id: z.string(), tool: z.string(), args: z.unknown() }),
  z.object({ type: z.literal('tool_result'), id: z.string(), tool: z.string(), isError: z.boolean(), preview: z.string() }),
  z.object({ type: z.literal('notice'), message: z.string() }),
  z.object({ type: z.literal('plan_progress'), steps: z.array(z.object({ text: z.string(), done: z.boolean() })) }),
  z.object({ type: z.literal('question'), question: z.string(), answer: z.nullable(z.string()) }),
  z.object({ type: z.literal('mode'), mode }),
  z.object({ type: z.literal('outcome'), outcome }),
  z.object({
    type: z.literal('check'),
    name: z.string(),
    command: z.string(),
    after: checkMoment,
    status: checkStatus,
    passed: z.boolean(),
    exitCode: z.nullable(z.number()),
    durationMs: z.number(),
    preview: z.string(),
    reason: z.optional(z.string()),
  }),
]);

/** Code blocks copied or inserted; a model answer longer than this is not one code block anyone reviewed. */
export const MAX_CODE_CHARS = 1_000_000;

const policyView = z.object({ rule: z.string(), reason: z.string(), source: z.string() });

const diffHunkView = z.object({
  /** The `@@ -a,b +c,d @@` line. */
  header: z.string(),
  /** Diff lines with their ' ', '-' or '+' prefix. */
  lines: z.array(z.string()),
});

/** What became of each hunk of one file (core/edits/review-outcome.ts). */
const hunkOutcomes = z.object({ path: z.string(), hunks: z.array(z.enum(['accepted', 'rejected'])) });

/** How a card closed: the line it shows, whether it was approved, and for an edit each hunk's outcome. */
const closedCard = z.object({ outcome: z.string(), approved: z.optional(z.boolean()), hunks: z.optional(z.array(hunkOutcomes)) });

const fileChangeView = z.object({
  path: z.string(),
  change: z.enum(['create', 'modify', 'delete']),
  hunks: z.array(diffHunkView),
});

/** What an approval card shows; built by the extension from an ApprovalRequest (the webview never sees raw requests). */
export const approvalViewSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tool'),
    tool: z.string(),
    /** The arguments, pretty-printed JSON. */
    args: z.string(),
    policy: policyView,
    /** The rule "Always" would add to .tiller/permissions.json; absent when no safe rule covers this call. */
    alwaysRule: z.optional(z.string()),
  }),
  z.object({
    kind: z.literal('shell'),
    command: z.string(),
    cwd: z.string(),
    policy: policyView,
    alwaysRule: z.optional(z.string()),
    /** What the command may touch in the sandbox, one line per part (mechanism, writable, read-only, hidden, network). */
    sandbox: z.optional(z.array(z.string())),
    /** Set when the command asks for more than the sandbox gives: exactly what, and why. Only a person grants it. */
    escalation: z.optional(z.string()),
  }),
  z.object({ kind: z.literal('edit'), description: z.optional(z.string()), policy: policyView, files: z.array(fileChangeView) }),
  z.object({ kind: z.literal('plan'), plan: z.string() }),
]);

/** The user's answer to one approval card. */
export const approvalAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once') }),
  /** Approve and add `rule` (which must be the card's `alwaysRule`) to the project's allow list. */
  z.object({ kind: z.literal('always'), rule: z.string().check(z.maxLength(4000)) }),
  z.object({ kind: z.literal('deny'), reason: z.string().check(z.maxLength(4000)) }),
  /** Approve a plan, as the user edited it. */
  z.object({ kind: z.literal('plan'), plan: z.string().check(z.trim(), z.minLength(1, 'the plan is empty'), z.maxLength(MAX_TASK_CHARS)) }),
  /** Review this edit in VS Code's diff editor instead (per-hunk CodeLens, Accept All / Reject All there). */
  z.object({ kind: z.literal('review_in_editor') }),
  /** An edit reviewed per hunk: the 0-based hunks accepted in each file; a file not listed is rejected whole. */
  z.object({
    kind: z.literal('edit'),
    files: z.array(z.object({ path: z.string(), hunks: z.array(z.int().check(z.minimum(0))) })).check(z.maxLength(10_000)),
    reason: z.string().check(z.maxLength(4000)),
  }),
]);

export type ApprovalView = z.infer<typeof approvalViewSchema>;
export type ApprovalAnswer = z.infer<typeof approvalAnswerSchema>;

const mentionItem = z.object({
  /** What is inserted after `@`, e.g. `src/app.ts` or `problems`. */
  value: z.string(),
  kind: z.enum(['file', 'symbol', 'problems', 'diff', 'terminal', 'resource']),
  detail: z.optional(z.string()),
});

export type MentionItem = z.infer<typeof mentionItem>;

/** A slash command for the composer's `/` completion: built in (`source` "built-in") or from a workflow file. */
const slashCommandItem = z.object({
  name: z.string().check(z.maxLength(200)),
  description: z.string().check(z.maxLength(2000)),
  argumentHint: z.optional(z.string().check(z.maxLength(500))),
  source: z.string().check(z.maxLength(1000)),
});
export type SlashCommandItem = z.infer<typeof slashCommandItem>;

/** A custom agent for the mode picker. */
const agentItem = z.object({
  name: z.string().check(z.maxLength(200)),
  description: z.string().check(z.maxLength(2000)),
  source: z.string().check(z.maxLength(1000)),
});
export type AgentItem = z.infer<typeof agentItem>;

const setupProblem = z.enum(['bad_url', 'unreachable', 'unauthorized', 'not_json', 'http_error']);

/** One line of the cost ledger (trace/ledger.ts): where the money and tokens of the task went. */
const ledgerRow = z.object({
  by: z.enum(['agent', 'tool', 'server', 'model']),
  name: z.string(),
  modelCalls: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  costUsd: z.number(),
});
export type LedgerRow = z.infer<typeof ledgerRow>;

const traceStep = z.object({
  agent: z.string(),
  step: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  costUsd: z.number(),
  latencyMs: z.number(),
  /** One line per tool call of the step: the tool, the policy decision and how it ended. */
  tools: z.array(z.string()),
});

const contextItem = z.object({ label: z.string(), tokens: z.number(), reason: z.string() });

/** A past session in the history list. */
const sessionSummary = z.object({ id: requestId, title: z.string(), startedAt: z.number() });

/** One transcript entry as kept across reloads (the extension's copy in workspaceState). */
export const transcriptEntrySchema = z.discriminatedUnion('kind', [
  /** `images`: the names of the images attached to the task (the pictures themselves stay in the image store). */
  z.object({ kind: z.literal('task'), text: z.string(), mode, images: z.optional(z.array(z.string())) }),
  z.object({ kind: z.literal('assistant'), text: z.string() }),
  z.object({ kind: z.literal('tool'), tool: z.string(), args: z.string(), result: z.optional(z.string()), isError: z.optional(z.boolean()) }),
  z.object({ kind: z.literal('notice'), text: z.string() }),
  z.object({ kind: z.literal('error'), text: z.string() }),
  z.object({ kind: z.literal('outcome'), status, summary: z.string(), totals, note: z.optional(z.string()), priceKnown: z.optional(z.boolean()) }),
  /** An `ask_user` exchange (answer null: nobody answered). */
  z.object({ kind: z.literal('question'), question: z.string(), answer: z.nullable(z.string()) }),
  /** A check run: its card (name, pass or fail, duration, the end of its output). */
  z.object({
    kind: z.literal('check'),
    name: z.string(),
    command: z.string(),
    after: checkMoment,
    status: checkStatus,
    durationMs: z.number(),
    exitCode: z.nullable(z.number()),
    output: z.string(),
    reason: z.optional(z.string()),
  }),
  /** An approval card and, once answered, how it closed; a reopened session shows it closed. */
  z.object({ kind: z.literal('approval'), approvalId: requestId, view: approvalViewSchema, closed: z.optional(closedCard) }),
]);

export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

// ---------------------------------------------------------------------------------------------------------------
// webview -> extension

export const webviewMessageSchema = z.discriminatedUnion('type', [
  /** Sent by the webview once its script has loaded, so the extension knows it can post `state`. */
  z.object({ type: z.literal('ready') }),
  /** Sent when the user submits a task. `mode` is the picker's value: `plan` proposes, `act` works. */
  z.object({
    type: z.literal('runTask'),
    requestId,
    task: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(MAX_TASK_CHARS)),
    mode,
    /** A custom agent picked in the mode picker (`.claude/agents/`, `.github/agents/`, ...): the task runs as it. */
    agent: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** Images pasted or dropped into the composer, sent with the task. */
    images: z.optional(z.array(imageUpload).check(z.maxLength(MAX_TASK_IMAGES))),
  }),
  /** Sent by the Stop button: cancel the task with this id (ignored when it is no longer running). */
  z.object({ type: z.literal('stop'), requestId }),
  /** Sent by buttons that run one of Tiller's own commands. Only these ids: nothing else is reachable from the view. */
  z.object({
    type: z.literal('runCommand'),
    command: z.enum(['tiller.setApiKey', 'tiller.openSettings', 'tiller.selectModel', 'tiller.editPermissions', 'tiller.newTask']),
  }),
  /** The user's answer to the approval card `approvalId`. The extension checks it fits the request it asked. */
  z.object({ type: z.literal('approvalAnswer'), approvalId: requestId, answer: approvalAnswerSchema }),
  /** Insert a code block at the active editor's cursor (the Insert button of a code block). */
  z.object({ type: z.literal('insertCode'), code: z.string().check(z.maxLength(MAX_CODE_CHARS)) }),
  /** Copy text to the clipboard through the extension (a webview's own clipboard access is not reliable). */
  z.object({ type: z.literal('copyText'), text: z.string().check(z.maxLength(MAX_CODE_CHARS)) }),
  /** @-mention completion: what the user typed after `@`. Answered by `mentionResults` with the same id. */
  z.object({ type: z.literal('mentionQuery'), requestId, query: z.string().check(z.maxLength(200)) }),
  /** Setup form: try this endpoint (GET {baseUrl}/models). An empty key means "use the stored key". */
  z.object({ type: z.literal('setupTest'), requestId, baseUrl: z.string().check(z.maxLength(2000)), apiKey: z.string().check(z.maxLength(4000)) }),
  /** Setup form: save the endpoint and models to the user's settings and the key to SecretStorage. */
  z.object({
    type: z.literal('setupSave'),
    requestId,
    baseUrl: z.string().check(z.minLength(1), z.maxLength(2000)),
    apiKey: z.string().check(z.maxLength(4000)),
    model: z.string().check(z.trim(), z.minLength(1, 'pick a model'), z.maxLength(200)),
    smallModel: z.string().check(z.trim(), z.maxLength(200)),
  }),
  /** Show a past session's transcript from the history list. */
  z.object({ type: z.literal('sessionOpen'), sessionId: requestId }),
  /** Ask for the steps of the last task's trace (the trace viewer). */
  z.object({ type: z.literal('traceQuery'), requestId }),
  /** Ask for the items of the last prompt (the context inspector). */
  z.object({ type: z.literal('contextQuery'), requestId }),
]);

// ---------------------------------------------------------------------------------------------------------------
// extension -> webview

export const hostMessageSchema = z.discriminatedUnion('type', [
  /** Sent after `ready` and whenever settings or the key change: can a task run, and on which model. */
  z.object({
    type: z.literal('state'),
    configured: z.boolean(),
    model: z.optional(z.string()),
    /** For the setup form: the endpoint already set (never the key: only whether one is stored). */
    baseUrl: z.optional(z.string()),
    hasKey: z.optional(z.boolean()),
    /**
     * Only while the workspace is not trusted: why tasks will not run. A later `state` without it (trust was granted)
     * takes the note away.
     */
    untrusted: z.optional(z.string()),
  }),
  /** Sent for each AgentEvent while a task runs, in order. */
  z.object({ type: z.literal('event'), requestId, event: agentEventSchema }),
  /**
   * Sent once when a task ends, whatever the reason. `note` adds what the status alone would hide (a "done" task in
   * which every change was denied changed nothing); `priceKnown` false: no price is known for the model, so a cost of
   * 0 means "unknown", not free.
   */
  z.object({ type: z.literal('outcome'), requestId, status, summary: z.string(), totals, note: z.optional(z.string()), priceKnown: z.optional(z.boolean()) }),
  /** Sent when a task could not start or failed outside the agent (untrusted workspace, no folder, bad settings). */
  z.object({ type: z.literal('error'), requestId: z.optional(requestId), message: z.string() }),
  /** Sent by the `tiller.newTask` command: clear the transcript and focus the input. */
  z.object({ type: z.literal('reset') }),
  /**
   * Sent by the editor's commands (Explain / Fix / Test Selection, Fix Problems): send this task as if typed, or, while
   * a task runs or Tiller is not set up, leave it in the input for the user to send.
   */
  z.object({ type: z.literal('submitTask'), task: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_TASK_CHARS)) }),
  /** Show an approval card; the task waits for `approvalAnswer` with the same id. */
  z.object({ type: z.literal('approval'), approvalId: requestId, view: approvalViewSchema }),
  /**
   * The card `approvalId` is no longer waiting (answered, the task stopped, or answered elsewhere). `outcome` is the
   * line the card shows; for an edit, `hunks` is the final word on every hunk (whoever reviewed it: the card or the
   * editor), which the card shows instead of its own checkboxes.
   */
  z.object({
    type: z.literal('approvalClosed'),
    approvalId: requestId,
    outcome: z.string(),
    approved: z.optional(z.boolean()),
    hunks: z.optional(z.array(hunkOutcomes)),
  }),
  /** Something happened outside a task that belongs in the chat (a checkpoint was restored). */
  z.object({ type: z.literal('notice'), message: z.string() }),
  z.object({ type: z.literal('mentionResults'), requestId, items: z.array(mentionItem) }),
  /** After `ready`: the slash commands for `/` completion and the custom agents for the mode picker. */
  z.object({ type: z.literal('workflows'), commands: z.array(slashCommandItem).check(z.maxLength(2000)), agents: z.array(agentItem).check(z.maxLength(500)) }),
  /** The setup form's connection test: the models the endpoint lists, or exactly what went wrong. */
  z.object({
    type: z.literal('setupResult'),
    requestId,
    result: z.discriminatedUnion('ok', [
      /** `models` empty with a `note`: the endpoint answered but lists nothing (no /models route); the user types a name. */
      z.object({ ok: z.literal(true), models: z.array(z.string()), note: z.optional(z.string()) }),
      z.object({ ok: z.literal(false), problem: setupProblem, message: z.string() }),
    ]),
  }),
  /** Setup form: the settings were saved (or not, with why). */
  z.object({ type: z.literal('setupSaved'), requestId, error: z.optional(z.string()) }),
  /**
   * The session history and the transcript of the current session, sent after `ready` and after `sessionOpen`; after
   * a task ends, without `transcript` (only the list changed: the view keeps what it shows).
   */
  z.object({
    type: z.literal('sessions'),
    current: z.optional(requestId),
    sessions: z.array(sessionSummary),
    transcript: z.optional(z.array(transcriptEntrySchema)),
  }),
  /** The last task's trace; `priceKnown` false: its model has no known price, so its costs read "price unknown". */
  z.object({
    type: z.literal('trace'),
    requestId,
    steps: z.array(traceStep),
    ledger: z.optional(z.array(ledgerRow)),
    note: z.optional(z.string()),
    priceKnown: z.optional(z.boolean()),
  }),
  z.object({ type: z.literal('context'), requestId, items: z.array(contextItem), note: z.optional(z.string()) }),
  /** Open one of the view's panels (the "Open Context Inspector" and "Show Trace" commands). */
  z.object({ type: z.literal('showPanel'), panel: z.enum(['history', 'trace', 'context']) }),
]);

export type WebviewMessage = z.infer<typeof webviewMessageSchema>;
export type HostMessage = z.infer<typeof hostMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/** Names the first offending field, e.g. `runTask.mode: Invalid option: expected one of "plan"|"act"`. */
function describe(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, raw: unknown): string {
  const issue = error.issues[0];
  const kind =
    typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? (raw as { type: string }).type.slice(0, 40) : 'message';
  if (!issue) return `${kind}: invalid`;
  const field = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  return `${kind}.${field}: ${issue.message}`;
}

export function parseWebviewMessage(raw: unknown): ParseResult<WebviewMessage> {
  const r = webviewMessageSchema.safeParse(raw);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: describe(r.error, raw) };
}

export function parseHostMessage(raw: unknown): ParseResult<HostMessage> {
  const r = hostMessageSchema.safeParse(raw);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: describe(r.error, raw) };
}

// Compile-time agreement with the core's types, both ways: whatever the core emits passes the schema's types, and
// whatever passes the schema is a valid core value. If AgentEvent or TaskOutcome changes, these lines stop compiling.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _eventsAgree: Same<z.infer<typeof agentEventSchema>, AgentEvent> = true;
const _outcomeAgrees: Same<z.infer<typeof outcome>, TaskOutcome> = true;
void _eventsAgree;
void _outcomeAgrees;
