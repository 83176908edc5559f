// Keeps one agent's history within its share of the context window, in two tiers with their own thresholds. Past
// the masking threshold, old observations are masked in one batch (the prompt then stays unchanged, so cacheable,
// until it grows back): cheap, and nothing is lost that a re-read cannot restore. Past the summary threshold (still,
// after masking), the oldest turns are summarised by the small model: lossy and a model call, so it comes later.
// The caller re-injects the task record and the rules afterwards.
import type { ChatMessage, Usage } from '../../model/types.js';
import { estimateMessagesTokens } from '../../model/tokens.js';
import { maskObservations, expandOrphanedReferences } from './masking.js';
import { assistantIndices } from './history.js';
import { oldestSpan, plainSummary, renderTranscript, SUMMARY_PREFIX, type Summarize } from './summarize.js';

export interface CompactionSettings {
  /** Tokens the prompt may use (context window minus the reply's reserve). */
  budgetTokens: number;
  /** Mask old observations when the prompt exceeds this share of the budget. Default 0.25. */
  maskRatio?: number;
  /** After masking, summarise the oldest turns if the prompt still exceeds this share. Default 0.6. */
  summarizeRatio?: number;
  /** Turns whose outputs are never masked. Default 3. */
  keepRecentTurns?: number;
  /** Turns never summarised. Default 2. */
  summaryKeepTurns?: number;
  /** A span shorter than this many turns is not worth a model call (and summarising it every step would thrash). Default 4. */
  minSummaryTurns?: number;
  /** Outputs below this many tokens are not masked. Default 100. */
  minMaskTokens?: number;
}

export type CompactionAction =
  { kind: 'masked'; elided: number; savedTokens: number } | { kind: 'summarized'; messages: number; byModel: boolean; error?: string };

export interface CompactionInput {
  messages: ChatMessage[];
  protectedCount: number;
  agentId: string;
  step: number;
  signal: AbortSignal;
  summarize?: Summarize;
  expand?: (text: string) => string | undefined;
  onUsage?: (usage: Usage, costUsd: number) => void;
}

export interface CompactionResult {
  messages: ChatMessage[];
  actions: CompactionAction[];
  tokensBefore: number;
  tokensAfter: number;
}

export async function compact(input: CompactionInput, settings: CompactionSettings): Promise<CompactionResult> {
  const trigger = settings.budgetTokens * (settings.maskRatio ?? 0.25);
  const target = settings.budgetTokens * (settings.summarizeRatio ?? 0.6);
  const tokensBefore = estimateMessagesTokens(input.messages);
  if (tokensBefore <= trigger) return { messages: input.messages, actions: [], tokensBefore, tokensAfter: tokensBefore };

  const actions: CompactionAction[] = [];
  const masked = maskObservations(input.messages, {
    protectedCount: input.protectedCount,
    keepRecentTurns: settings.keepRecentTurns ?? 3,
    minTokens: settings.minMaskTokens ?? 100,
    ...(input.expand ? { expand: input.expand } : {}),
  });
  let messages = masked.messages;
  if (masked.elided > 0) actions.push({ kind: 'masked', elided: masked.elided, savedTokens: masked.savedTokens });

  const candidate = estimateMessagesTokens(messages) > target ? oldestSpan(messages, input.protectedCount, settings.summaryKeepTurns ?? 2) : undefined;
  const span =
    candidate && assistantIndices(messages.slice(candidate.start, candidate.end), 0).length >= (settings.minSummaryTurns ?? 4) ? candidate : undefined;
  if (span) {
    const old = messages.slice(span.start, span.end);
    let text: string | undefined;
    let error: string | undefined;
    if (input.summarize) {
      try {
        const result = await input.summarize({
          messages: [{ role: 'user', content: renderTranscript(old) }],
          agentId: input.agentId,
          step: input.step,
          signal: input.signal,
        });
        if (result.usage) input.onUsage?.(result.usage, result.costUsd ?? 0);
        text = result.text.trim() || undefined;
      } catch (err) {
        if (input.signal.aborted) throw err;
        error = err instanceof Error ? err.message : String(err);
      }
    }
    const body = text ?? `The earlier turns were dropped; what was done:\n${plainSummary(old)}`;
    const summary: ChatMessage = { role: 'user', content: `${SUMMARY_PREFIX}\n${body}`, origin: 'summary' };
    messages = expandOrphanedReferences([...messages.slice(0, span.start), summary, ...messages.slice(span.end)], input.expand);
    actions.push({ kind: 'summarized', messages: old.length, byModel: text !== undefined, ...(error ? { error } : {}) });
  }
  return { messages, actions, tokensBefore, tokensAfter: estimateMessagesTokens(messages) };
}
