// Observation masking, the first and cheapest compaction: tool outputs older than the last few turns are replaced
// by a one-line stub naming the call and its size. The agent's own messages and the calls stay, so the model still
// knows what it did and can repeat a read it needs. Recent outputs are never touched.
import type { ChatMessage, ImageAttachment } from '../../model/types.js';
import { estimateMessagesTokens, estimateTokens } from '../../model/tokens.js';
import { describeArgs } from '../../memory/record-updates.js';
import { callsById, displayToolName, recentTurnsStart } from './history.js';

export const STUB_PREFIX = '[output of ';

/** A tool message already replaced by its stub (tool messages carry no origin tag; the stub's prefix marks it). */
export function isElided(message: ChatMessage): boolean {
  return message.role === 'tool' && message.content.startsWith(STUB_PREFIX);
}

export interface MaskOptions {
  /** Messages at the start that are never rewritten (system prompt, opening context). */
  protectedCount: number;
  /** Turns (assistant messages) whose outputs are kept whole. */
  keepRecentTurns: number;
  /** Outputs smaller than this stay: their stub would save next to nothing. */
  minTokens: number;
  /** Full text behind a read reference (see ReadDedup), so a kept reference to an elided original can be expanded. */
  expand?: (text: string) => string | undefined;
}

export interface MaskResult {
  messages: ChatMessage[];
  elided: number;
  savedTokens: number;
}

export function maskObservations(messages: readonly ChatMessage[], options: MaskOptions): MaskResult {
  const calls = callsById(messages);
  const recent = recentTurnsStart(messages, options.protectedCount, options.keepRecentTurns);
  let elided = 0;
  let savedTokens = 0;
  const out = messages.map((m, i): ChatMessage => {
    if (m.role === 'user' && m.images?.length && i >= options.protectedCount && i < recent) {
      // An old tool's images go with its output: once masked, an image is never sent again.
      const { images, ...rest } = m;
      const stub = `${m.content}\n${imagesElided(images)}`;
      elided++;
      savedTokens += estimateMessagesTokens([m]) - estimateMessagesTokens([{ ...rest, content: stub }]);
      return { ...rest, content: stub };
    }
    if (m.role !== 'tool' || i < options.protectedCount || i >= recent || isElided(m)) return m;
    const isReference = options.expand?.(m.content) !== undefined;
    const tokens = estimateTokens(options.expand?.(m.content) ?? m.content);
    if (!isReference && tokens < options.minTokens) return m;
    const call = calls.get(m.toolCallId);
    const stub = elisionStub(call ? displayToolName(call.name) : 'a tool', call ? safeArgs(call.arguments) : {}, tokens);
    elided++;
    savedTokens += estimateTokens(m.content) - estimateTokens(stub);
    return { ...m, content: stub };
  });
  return { messages: expandOrphanedReferences(out, options.expand), elided, savedTokens };
}

export function imagesElided(images: readonly ImageAttachment[]): string {
  return `[${images.length === 1 ? 'an image' : `${images.length} images`} (${images.map((i) => i.name).join(', ')}) elided from the context]`;
}

export function elisionStub(tool: string, args: Record<string, unknown>, tokens: number): string {
  const target = describeArgs(args);
  return `${STUB_PREFIX}${tool}${target ? ` ${target}` : ''} elided; ${tokens.toLocaleString('en-US')} tokens; read it again if needed]`;
}

/** A kept read reference whose original is no longer in the history gets its full text back. */
export function expandOrphanedReferences(messages: ChatMessage[], expand?: (text: string) => string | undefined): ChatMessage[] {
  if (!expand) return messages;
  const visible = new Set<string>();
  for (const m of messages) if (m.role === 'tool' && expand(m.content) === undefined) visible.add(m.content);
  return messages.map((m) => {
    if (m.role !== 'tool') return m;
    const full = expand(m.content);
    if (full === undefined || visible.has(full)) return m;
    visible.add(full);
    return { ...m, content: full };
  });
}

function safeArgs(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
