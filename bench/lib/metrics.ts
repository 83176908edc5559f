// Localisation scores used across the field: Acc@k (all gold files in the top k) and Recall@k (share of gold files
// in the top k), averaged over instances and reported as percentages.

export const KS = [1, 3, 5, 10] as const;

export interface InstanceScore {
  acc: Record<number, number>;
  recall: Record<number, number>;
}

export function scoreInstance(ranked: readonly string[], gold: readonly string[]): InstanceScore {
  const acc: Record<number, number> = {};
  const recall: Record<number, number> = {};
  for (const k of KS) {
    const topK = new Set(ranked.slice(0, k));
    const found = gold.filter((g) => topK.has(g)).length;
    acc[k] = gold.length > 0 && found === gold.length ? 1 : 0;
    recall[k] = gold.length > 0 ? found / gold.length : 0;
  }
  return { acc, recall };
}

export function meanScores(scores: readonly InstanceScore[]): InstanceScore {
  const acc: Record<number, number> = {};
  const recall: Record<number, number> = {};
  for (const k of KS) {
    acc[k] = (100 * scores.reduce((s, x) => s + (x.acc[k] ?? 0), 0)) / Math.max(1, scores.length);
    recall[k] = (100 * scores.reduce((s, x) => s + (x.recall[k] ?? 0), 0)) / Math.max(1, scores.length);
  }
  return { acc, recall };
}

export function formatRow(label: string, s: InstanceScore): string {
  const cells = [...KS.map((k) => (s.acc[k] ?? 0).toFixed(1)), ...KS.map((k) => (s.recall[k] ?? 0).toFixed(1))];
  return `${label.padEnd(28)} ${cells.map((c) => c.padStart(6)).join(' ')}`;
}

export function formatHeader(): string {
  return `${''.padEnd(28)} ${[...KS.map((k) => `Acc@${k}`), ...KS.map((k) => `R@${k}`)].map((c) => c.padStart(6)).join(' ')}`;
}

/** Nearest-rank percentile of a sample (p in [0, 100]). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
