// The pure-JS search engine, used when no ripgrep binary is available: searches the files of the shared workspace
// walk (which honours .gitignore and skips .git and node_modules), leaving out binaries and files over 1 MiB.
import { readFile, stat } from 'node:fs/promises';
import { Minimatch } from 'minimatch';
import { walkTree } from '../../extension/core/context/index/tree-walk.js';
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

const READ_BATCH = 16;

/** The file's text, or undefined when it is not a searchable file (gone, unreadable, too big, binary). */
async function readSearchable(abs: string): Promise<string | undefined> {
  try {
    const info = await stat(abs);
    if (!info.isFile() || info.size > JS_SEARCH_MAX_FILE_BYTES) return undefined;
    const bytes = await readFile(abs);
    return looksBinary(bytes) ? undefined : bytes.toString('utf8');
  } catch {
    return undefined; // vanished or unreadable files are not an error for a search
  }
}

export async function searchWithJs(root: string, q: SearchQuery, visible: (rel: string) => boolean = () => true): Promise<SearchOutcome> {
  const matcher = buildMatcher(q);
  const glob = q.glob === undefined ? undefined : new Minimatch(q.glob, { dot: true, matchBase: !q.glob.includes('/') });
  const files: { abs: string; rel: string }[] = [];
  await walkTree(root, { budget: 100_000 }, (entry) => {
    if (entry.kind === 'file' && (glob === undefined || glob.match(entry.rel)) && visible(entry.rel)) files.push({ abs: entry.abs, rel: entry.rel });
  });
  // Files are read a batch at a time (I/O overlaps) and scanned in path order, so results stay deterministic.
  const hits: SearchHit[] = [];
  for (let start = 0; start < files.length; start += READ_BATCH) {
    const batch = await Promise.all(files.slice(start, start + READ_BATCH).map((f) => readSearchable(f.abs)));
    for (let b = 0; b < batch.length; b++) {
      const text = batch[b];
      if (text === undefined) continue;
      const rel = files[start + b]!.rel;
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!matcher.test(lines[i]!)) continue;
        if (hits.length >= q.maxResults) return { hits, truncated: true, engine: 'js' };
        hits.push({ path: rel, line: i + 1, text: formatHitText(lines[i]!) });
      }
    }
  }
  return { hits, truncated: false, engine: 'js' };
}
