// The pure-JS search engine, used when no ripgrep binary is available: skips .git, node_modules, binaries
// and files over 1 MiB.
import { readFile, stat } from 'node:fs/promises';
import { Minimatch } from 'minimatch';
import { walk } from '../common/walk.js';
import { looksBinary } from '../common/text-file.js';
import { formatHitText, type SearchHit, type SearchOutcome, type SearchQuery } from './search-hit.js';

export const JS_SEARCH_MAX_FILE_BYTES = 1024 * 1024;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function buildMatcher(q: SearchQuery): RegExp {
  const source = q.isRegex ? q.query : escapeRegex(q.query);
  const flags = q.caseSensitive ? '' : 'i';
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    // Unicode mode rejects escapes that grep-style patterns use freely (`\-`, `\/`); retry without it.
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new Error(`invalid regular expression ${JSON.stringify(q.query)}: ${(error as Error).message}`);
  }
}

export async function searchWithJs(root: string, q: SearchQuery): Promise<SearchOutcome> {
  const matcher = buildMatcher(q);
  const glob = q.glob === undefined ? undefined : new Minimatch(q.glob, { dot: true, matchBase: !q.glob.includes('/') });
  const files: { abs: string; rel: string }[] = [];
  await walk(root, '.', { budget: 100_000 }, (entry) => {
    if (!entry.isDir && (glob === undefined || glob.match(entry.rel))) files.push({ abs: entry.abs, rel: entry.rel });
  });
  const hits: SearchHit[] = [];
  for (const file of files) {
    try {
      const info = await stat(file.abs);
      if (!info.isFile() || info.size > JS_SEARCH_MAX_FILE_BYTES) continue;
      const bytes = await readFile(file.abs);
      if (looksBinary(bytes)) continue;
      const lines = bytes.toString('utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!matcher.test(lines[i]!)) continue;
        if (hits.length >= q.maxResults) return { hits, truncated: true, engine: 'js' };
        hits.push({ path: file.rel, line: i + 1, text: formatHitText(lines[i]!) });
      }
    } catch {
      continue; // vanished or unreadable files are not an error for a search
    }
  }
  return { hits, truncated: false, engine: 'js' };
}
