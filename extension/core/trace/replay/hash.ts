// Hashes that let a replay tell "the harness sent the same thing" from "it did not". A request is hashed as canonical
// JSON (object keys sorted) after normalising the values that change from run to run without the harness behaving
// differently: the workspace's absolute path (a replay runs in a scratch copy) and command durations.
import { createHash } from 'node:crypto';
import type { ChatMessage, ToolDefinition } from '../../model/types.js';

export const WORKSPACE_PLACEHOLDER = '<workspace>';

/** `[exit 0; 123 ms]` as the shell server ends each command's output. */
const COMMAND_DURATION = /(\[[^\]\n]*?; )\d+ ms\]/g;

export function normalizeVolatile(text: string, workspaceRoot: string | undefined): string {
  let out = text;
  if (workspaceRoot && workspaceRoot.length > 1) out = out.split(workspaceRoot).join(WORKSPACE_PLACEHOLDER);
  return out.replace(COMMAND_DURATION, '$1<ms> ms]');
}

/** JSON with object keys sorted at every level, strings normalised: equal requests give equal text. */
export function canonicalJson(value: unknown, workspaceRoot?: string): string {
  return JSON.stringify(canonicalize(value, workspaceRoot));
}

function canonicalize(value: unknown, root: string | undefined): unknown {
  if (typeof value === 'string') return normalizeVolatile(value, root);
  if (Array.isArray(value)) return value.map((v) => canonicalize(v, root));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v, root);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The hash of what one model call was sent: the messages and the tool definitions. A user message's `origin` is
 * Tiller's own bookkeeping and never reaches the provider, so it is left out: tagging a message changes no request.
 */
export function requestHash(messages: ChatMessage[], tools: ToolDefinition[], workspaceRoot?: string): string {
  const sent = messages.map((m) => (m.role === 'user' && m.origin !== undefined ? withoutOrigin(m) : m));
  return sha256(canonicalJson({ messages: sent, tools }, workspaceRoot));
}

function withoutOrigin(message: Extract<ChatMessage, { role: 'user' }>): ChatMessage {
  const { origin: _origin, ...rest } = message;
  return rest;
}

/** The hash of one tool result's text. */
export function resultHash(content: string, workspaceRoot?: string): string {
  return sha256(normalizeVolatile(content, workspaceRoot));
}
