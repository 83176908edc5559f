// How many tokens a prompt may use: the model's context window minus a reserve for its reply, and how that budget
// is shared among the parts of the opening prompt. Unknown models get a conservative default window.

export const DEFAULT_CONTEXT_WINDOW = 128_000;

/** Windows of common model families, matched by name prefix; the user's table (settings) wins over these. */
const KNOWN_WINDOWS: [prefix: string, tokens: number][] = [
  ['gpt-4.1', 1_000_000],
  ['gpt-4o', 128_000],
  ['gpt-5', 400_000],
  ['o3', 200_000],
  ['o4', 200_000],
  ['claude', 200_000],
  ['gemini', 1_000_000],
];

export function contextWindowFor(model: string, table: Record<string, number> = {}): number {
  const own = table[model];
  if (own !== undefined) {
    if (!Number.isFinite(own) || own < 1024) throw new Error(`context window for ${model} must be a number of tokens of at least 1024 (got ${own})`);
    return Math.floor(own);
  }
  const lower = model.toLowerCase().replace(/^.*\//, '');
  return KNOWN_WINDOWS.find(([p]) => lower.startsWith(p))?.[1] ?? DEFAULT_CONTEXT_WINDOW;
}

/** The reply's reserve: a fifth of the window, at most 16k tokens. */
export function promptBudget(contextWindow: number, replyReserve?: number): number {
  const reserve = replyReserve ?? Math.min(16_000, Math.floor(contextWindow / 5));
  return Math.max(512, contextWindow - reserve);
}

/** Shares of the prompt budget each part of the opening may take at most. */
export const OPENING_SHARES = { rules: 0.1, memory: 0.03, repo: 0.1, mentions: 0.25 } as const;
