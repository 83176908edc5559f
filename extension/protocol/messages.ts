// The messages between the chat webview and the extension host, defined once and validated on both sides: the
// extension checks what the webview sends (a compromised webview must not be able to run arbitrary input past the
// schema), the webview checks what it receives. A message that fails is dropped and logged with the field that was
// wrong. This module imports only zod/mini (the tree-shakable build: ~25 KB in the webview bundle instead of ~450 KB
// for classic zod with every locale) so the webview can use it too.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { AgentEvent, TaskOutcome } from '../core/agent/types.js';

// English error messages (zod/mini ships none by default); the same setting classic zod applies on import.
z.config(en());

/** Correlates a task's messages. The webview makes it up (a UUID); the extension echoes it. */
const requestId = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'));

/** Tasks are typed by a person; anything beyond this is a paste accident, not a task. */
export const MAX_TASK_CHARS = 100_000;

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
  exhausted: z.optional(z.enum(['steps', 'tokens', 'cost', 'time'])),
  error: z.optional(z.string()),
  errorKind: z.optional(z.string()),
  totals,
  filesChanged: z.array(z.string()),
});

/** Mirrors core/agent/types.ts AgentEvent; the compile-time checks at the bottom keep the two in step. */
export const agentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: z.number() }),
  z.object({ type: z.literal('text'), delta: z.string() }),
  z.object({ type: z.literal('text_reset') }),
  z.object({ type: z.literal('tool_call'), id: z.string(), tool: z.string(), args: z.unknown() }),
  z.object({ type: z.literal('tool_result'), id: z.string(), tool: z.string(), isError: z.boolean(), preview: z.string() }),
  z.object({ type: z.literal('notice'), message: z.string() }),
  z.object({ type: z.literal('outcome'), outcome }),
]);

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
  }),
  /** Sent by the Stop button: cancel the task with this id (ignored when it is no longer running). */
  z.object({ type: z.literal('stop'), requestId }),
  /** Sent by the buttons of the "not configured" notice: run one of the setup commands. Only these two ids. */
  z.object({ type: z.literal('runCommand'), command: z.enum(['tiller.setApiKey', 'tiller.openSettings']) }),
]);

// ---------------------------------------------------------------------------------------------------------------
// extension -> webview

export const hostMessageSchema = z.discriminatedUnion('type', [
  /** Sent after `ready` and whenever settings or the key change: can a task run, and on which model. */
  z.object({ type: z.literal('state'), configured: z.boolean(), model: z.optional(z.string()) }),
  /** Sent for each AgentEvent while a task runs, in order. */
  z.object({ type: z.literal('event'), requestId, event: agentEventSchema }),
  /** Sent once when a task ends, whatever the reason. */
  z.object({ type: z.literal('outcome'), requestId, status, summary: z.string(), totals }),
  /** Sent when a task could not start or failed outside the agent (untrusted workspace, no folder, bad settings). */
  z.object({ type: z.literal('error'), requestId: z.optional(requestId), message: z.string() }),
  /** Sent by the `tiller.newTask` command: clear the transcript and focus the input. */
  z.object({ type: z.literal('reset') }),
]);

export type WebviewMessage = z.infer<typeof webviewMessageSchema>;
export type HostMessage = z.infer<typeof hostMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/** Names the first offending field, e.g. `runTask.mode: Invalid option: expected one of "plan"|"act"`. */
function describe(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, raw: unknown): string {
  const issue = error.issues[0];
  const kind =
    typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string'
      ? (raw as { type: string }).type.slice(0, 40)
      : 'message';
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
