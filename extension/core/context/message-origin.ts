// Which harness message a history entry is. New messages carry `origin` (model/types.ts `MessageOrigin`); sessions
// written before the tag existed are recognised by the prefix their text starts with, here and nowhere else.
import type { ChatMessage, MessageOrigin } from '../model/types.js';
import { PLAN_APPROVED, RESUMED } from '../agent/prompts.js';
import { SUMMARY_PREFIX } from './compaction/summarize.js';

/** How the task record re-injected after compaction begins (model-facing text; also the legacy recogniser). */
export const RECORD_PREFIX = '[Task record';

/** For messages without an origin only: an older session's log. Order matters where one prefix could start another. */
const LEGACY_PREFIXES: readonly (readonly [string, MessageOrigin])[] = [
  [PLAN_APPROVED, 'plan-approved'],
  [RECORD_PREFIX, 'task-record'],
  [SUMMARY_PREFIX, 'summary'],
  [RESUMED, 'resumed'],
];

/** The origin of a user message: its tag, or for an untagged (older) message the prefix it starts with. */
export function originOf(message: ChatMessage): MessageOrigin | undefined {
  if (message.role !== 'user') return undefined;
  if (message.origin) return message.origin;
  return LEGACY_PREFIXES.find(([prefix]) => message.content.startsWith(prefix))?.[1];
}

export type UserMessage = Extract<ChatMessage, { role: 'user' }>;

export function hasOrigin(message: ChatMessage, origin: MessageOrigin): message is UserMessage {
  return originOf(message) === origin;
}
