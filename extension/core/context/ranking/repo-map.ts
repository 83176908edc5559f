// The repo map: the top-ranked files with their most relevant symbol signatures, packed into a token budget. A file
// that does not fit is left out whole rather than cut mid-list, so the map never misleads about a file's contents.
import { estimateTokens } from '../../model/tokens.js';
import type { RankedFile, RepoMapSlice } from '../index/types.js';
import type { RankableIndex } from './rank.js';
import { splitIdentifier } from '../index/tokenize.js';

const MAX_SYMBOLS_PER_FILE = 12;

export function buildRepoMap(index: RankableIndex, ranked: RankedFile[], terms: string[], budgetTokens: number): RepoMapSlice {
  const wanted = new Set(terms);
  const parts: string[] = [];
  const files: RepoMapSlice['files'] = [];
  let used = 0;
  for (const file of ranked) {
    const id = index.idOf(file.path);
    const defs = id === undefined ? [] : [...index.graph.symbolsOf(id)];
    const named = new Set(file.symbols.map((s) => s.name));
    // Named in the query first, then sharing its words, then top-level before nested, then in file order.
    const relevance = (name: string): number => (named.has(name) ? 2 : splitIdentifier(name).some((t) => wanted.has(t)) ? 1 : 0);
    const chosen = defs
      .map((d, order) => ({ d, order, r: relevance(d.name) + (d.container ? 0 : 0.5) }))
      .sort((a, b) => b.r - a.r || a.order - b.order)
      .slice(0, MAX_SYMBOLS_PER_FILE)
      .sort((a, b) => a.d.line - b.d.line);
    const lines = [`${file.path}:`, ...chosen.map(({ d }) => `  ${String(d.line).padStart(4)}│ ${d.signature}`)];
    let text = `${lines.join('\n')}\n`;
    let tokens = estimateTokens(text);
    if (used + tokens > budgetTokens) {
      // Try the path alone before giving up on the file.
      text = `${file.path}\n`;
      tokens = estimateTokens(text);
      if (used + tokens > budgetTokens) break;
    }
    parts.push(text);
    files.push({ path: file.path, tokens, reasons: file.reasons });
    used += tokens;
  }
  return { text: parts.join(''), tokens: used, files };
}
