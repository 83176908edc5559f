// One format for search hits, whichever engine found them: `path:line: text` (core/tools/scan-results.ts, which the
// gate reads the structured hits with).
import { formatHit, type SearchHit } from '../../extension/core/tools/scan-results.js';

export type { SearchHit };

export interface SearchQuery {
  query: string;
  isRegex: boolean;
  glob?: string;
  maxResults: number;
  caseSensitive: boolean;
}

export interface SearchOutcome {
  hits: SearchHit[];
  truncated: boolean;
  engine: 'ripgrep' | 'js';
}

const MAX_LINE_CHARS = 300;

export function formatHitText(line: string): string {
  const trimmed = line.replace(/\r?\n$/, '').replace(/\r$/, '');
  return trimmed.length > MAX_LINE_CHARS ? `${trimmed.slice(0, MAX_LINE_CHARS)}…` : trimmed;
}

export function formatHits(hits: readonly SearchHit[]): string {
  return hits.map(formatHit).join('\n');
}
