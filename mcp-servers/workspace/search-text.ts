// search_text: ripgrep when a binary is available, the JS scan otherwise; the same output either way.
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { PathGuard } from '../common/path-guard.js';
import { textResult } from '../common/tool-result.js';
import { formatHits, type SearchQuery } from './search-hit.js';
import { buildMatcher, searchWithJs } from './search-js.js';
import { findRipgrep, searchWithRipgrep } from './search-rg.js';

export async function searchTextTool(
  guard: PathGuard,
  args: { query: string; isRegex?: boolean; glob?: string; maxResults?: number; caseSensitive?: boolean },
): Promise<CallToolResult> {
  const q: SearchQuery = {
    query: args.query,
    isRegex: args.isRegex ?? false,
    glob: args.glob,
    maxResults: args.maxResults ?? 100,
    caseSensitive: args.caseSensitive ?? false,
  };
  if (q.query === '') throw new Error('query is empty');
  buildMatcher(q); // reject a malformed regex with the same message on both engines
  const rg = findRipgrep();
  // Files the rules deny are skipped before any hit is counted, so neither the hits nor the "stopped at" note can
  // tell the model that a denied file matched.
  const visible = (rel: string) => guard.visible(join(guard.root, rel), false);
  const outcome = rg === undefined ? await searchWithJs(guard.root, q, visible) : await searchWithRipgrep(rg, guard.root, q, visible);
  let text = outcome.hits.length === 0 ? `No matches for ${JSON.stringify(q.query)}` : formatHits(outcome.hits);
  if (outcome.truncated) text += `\n[stopped at ${q.maxResults} matches; narrow the query or add a glob]`;
  return textResult(text, { hits: outcome.hits, truncated: outcome.truncated, engine: outcome.engine });
}
