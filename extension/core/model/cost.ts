// Usage accounting and pricing. Prices are per million tokens; cached prompt tokens are a subset of prompt tokens
// and are billed at the cached price when the table has one.
import type { ModelPrice, PriceTable, Usage } from './types.js';

/** Approximate public list prices (USD per million tokens) at the time of writing, used only when the user has not
 * configured prices. They go stale; `ModelConfig.prices` overrides them. */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6 },
};

/** Exact name first, then the longest key the model name starts with (`gpt-4o-2024-08-06` -> `gpt-4o`), so dated
 * snapshots share their family's price without `gpt-4o-mini` being priced as `gpt-4o`. */
export function priceFor(table: PriceTable, model: string): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

export function costOf(table: PriceTable, model: string, usage: Pick<Usage, 'promptTokens' | 'completionTokens' | 'cachedPromptTokens'>): number {
  const price = priceFor(table, model);
  if (!price) return 0;
  const cached = Math.min(usage.cachedPromptTokens, usage.promptTokens);
  const uncached = usage.promptTokens - cached;
  const cachedPrice = price.cachedInputPerMTok ?? price.inputPerMTok;
  return (uncached * price.inputPerMTok + cached * cachedPrice + usage.completionTokens * price.outputPerMTok) / 1e6;
}

/** What OpenAI-compatible providers put in `usage`; every field may be missing on some provider. */
export interface WireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Provider usage when it reported both counts; otherwise the estimate, marked as such. */
export function usageFrom(wire: WireUsage | null | undefined, estimate: { promptTokens: number; completionTokens: number }): Usage {
  const prompt = count(wire?.prompt_tokens);
  const completion = count(wire?.completion_tokens);
  if (prompt === undefined || completion === undefined) {
    return { promptTokens: estimate.promptTokens, completionTokens: estimate.completionTokens, cachedPromptTokens: 0, estimated: true };
  }
  const cached = count(wire?.prompt_tokens_details?.cached_tokens) ?? 0;
  return { promptTokens: prompt, completionTokens: completion, cachedPromptTokens: Math.min(cached, prompt), estimated: false };
}

/**
 * True when every model a task may call has a price (configured or default), so a cost of $0.00 means free rather
 * than "nobody knows": an unpriced model is shown as "price unknown".
 */
export function pricesKnown(config: { largeModel: string; smallModel?: string; prices?: PriceTable }): boolean {
  const table = { ...DEFAULT_PRICES, ...(config.prices ?? {}) };
  return [config.largeModel, config.smallModel ?? config.largeModel].every((m) => priceFor(table, m) !== undefined);
}
