// Okapi BM25 over a small set of documents (session summaries), for recalling the ones relevant to a new task.
// Identifiers are split on camelCase and snake_case as well as kept whole, so `parseDate` matches "parse date".

const K1 = 1.2;
const B = 0.75;
const STOP = new Set('a an and are as at be by for from has have in is it its of on or that the this to was were will with'.split(' '));

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of text.match(/[A-Za-z0-9_$]+/g) ?? []) {
    const lower = word.toLowerCase();
    if (lower.length > 1 && !STOP.has(lower)) out.push(lower);
    const parts = word.split(/_|(?<=[a-z0-9])(?=[A-Z])/).filter((p) => p.length > 1);
    if (parts.length > 1) for (const p of parts) if (!STOP.has(p.toLowerCase())) out.push(p.toLowerCase());
  }
  return out;
}

export function bm25Rank(query: string, documents: readonly string[]): { index: number; score: number }[] {
  const docs = documents.map(tokenize);
  const avg = docs.reduce((n, d) => n + d.length, 0) / Math.max(1, docs.length);
  const df = new Map<string, number>();
  for (const d of docs) for (const term of new Set(d)) df.set(term, (df.get(term) ?? 0) + 1);
  const terms = [...new Set(tokenize(query))];
  const scored = docs.map((d, index) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    let score = 0;
    for (const term of terms) {
      const f = tf.get(term);
      if (!f) continue;
      const n = df.get(term)!;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.length) / Math.max(1, avg)));
    }
    return { index, score };
  });
  return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.index - b.index);
}
