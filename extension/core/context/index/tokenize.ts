// Tokenisation shared by the index and the query: identifiers are split on camelCase, snake_case and digits, and the
// whole identifier is kept too, so `parseDate` matches both a query that says "parse date" and one that says `parseDate`.

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/g;
/** Words too common in code or prose to say anything about which file a query is about. */
const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'this',
  'that',
  'from',
  'not',
  'are',
  'was',
  'but',
  'you',
  'have',
  'has',
  'had',
  'can',
  'will',
  'when',
  'what',
  'which',
  'there',
  'their',
  'them',
  'then',
  'than',
  'into',
  'out',
  'use',
  'using',
  'used',
  'its',
  'also',
  'some',
  'any',
  'all',
  'one',
  'two',
  'would',
  'should',
  'could',
  'does',
  'did',
  'doesn',
  'isn',
  'don',
  'get',
  'set',
  'new',
  'var',
  'let',
  'const',
  'function',
  'return',
  'if',
  'else',
  'true',
  'false',
  'null',
  'undefined',
  'import',
  'export',
  'default',
  'require',
  'module',
  'exports',
  'class',
  'self',
  'def',
  'none',
  'is',
  'in',
  'of',
  'to',
  'a',
  'an',
  'it',
  'on',
  'or',
  'be',
  'as',
  'at',
  'by',
  'we',
  'i',
  'my',
  'me',
  'do',
  'so',
  'no',
  'up',
  'like',
  'just',
  'way',
  'how',
  'why',
  'where',
  'who',
  'about',
  'after',
  'before',
  'other',
  'only',
  'same',
  'more',
  'most',
  'very',
  'here',
  'these',
  'those',
  'such',
  'each',
  'may',
  'might',
  'must',
  'been',
  'being',
  'were',
  'our',
  'your',
  'his',
  'her',
  'they',
  'she',
  'him',
  'while',
  'because',
  'since',
  'until',
  'both',
  'either',
  'neither',
  'into',
  'via',
  'per',
  'etc',
  'js',
  'ts',
  'expected',
  'actual',
  'behavior',
  'behaviour',
  'bug',
  'issue',
  'version',
  'describe',
  'reproduce',
  'steps',
  'result',
  'please',
  'thanks',
  'thank',
  'example',
  'code',
  'file',
  'works',
  'work',
  'error',
  'following',
  'see',
  'want',
  'need',
  'still',
  'now',
  'yes',
  'but',
  'what',
  'https',
  'http',
  'www',
  'com',
  'github',
  'await',
  'async',
  'typeof',
  'this',
]);

/**
 * `parseHTTPDate2` -> ['parse', 'http', 'date', '2'] (lower-cased); `snake_case` -> ['snake', 'case']. A part ends at
 * anything but an ASCII letter or digit, before an upper-case letter that follows a lower-case letter or digit
 * (`parseDate`), before the last upper-case letter of a run that a lower-case letter follows (`HTTPDate`), and
 * between a letter and a digit (`date2`). Hand-written because a cold build splits every distinct identifier once.
 */
export function splitIdentifier(identifier: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let k = 0; k < identifier.length; k++) {
    const c = identifier.charCodeAt(k);
    if (!isAlnum(c)) {
      if (start >= 0) out.push(identifier.slice(start, k).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = k;
      continue;
    }
    const prev = identifier.charCodeAt(k - 1);
    const boundary = isUpper(c) ? isLower(prev) || isDigit(prev) || (isUpper(prev) && isLower(identifier.charCodeAt(k + 1))) : isDigit(c) && !isDigit(prev);
    if (boundary) {
      out.push(identifier.slice(start, k).toLowerCase());
      start = k;
    }
  }
  if (start >= 0) out.push(identifier.slice(start).toLowerCase());
  return out;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return isUpper(c) || isLower(c) || isDigit(c);
}

/** Identifiers recur across files; splitting each once per process saves most tokenisation time. Bounded. */
const SPLIT_CACHE = new Map<string, string[]>();
const SPLIT_CACHE_MAX = 500_000;

/** Sub-words of an identifier plus the whole identifier (lower-cased) when it has more than one part. */
export function identifierTerms(identifier: string): string[] {
  const cached = SPLIT_CACHE.get(identifier);
  if (cached) return cached;
  if (SPLIT_CACHE.size >= SPLIT_CACHE_MAX) SPLIT_CACHE.clear();
  const terms = computeIdentifierTerms(identifier);
  SPLIT_CACHE.set(identifier, terms);
  return terms;
}

function computeIdentifierTerms(identifier: string): string[] {
  const parts = splitIdentifier(identifier);
  const whole = identifier.toLowerCase().replace(/^[_$]+|[_$]+$/g, '');
  if (parts.length > 1 && whole.length > 0) parts.push(whole);
  return parts;
}

function keep(term: string): boolean {
  return term.length >= 2 && term.length <= 64 && !STOP.has(term) && !/^[0-9]+$/.test(term);
}

/**
 * Occurrences of each identifier in a text (2 to 80 characters). A hand-written scan: on a large tree this is the
 * index's hottest loop, and it is several times faster than a global regex that allocates a match per identifier.
 * The same counts serve the lexical index and the symbol graph's references.
 */
export function countIdentifiers(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isIdentStart(c)) {
      const start = i;
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const len = i - start;
      if (len >= 2 && len <= 80) {
        const id = text.slice(start, i);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    } else if (c >= 48 && c <= 57) {
      // A number: skip its digits and letters (0x1F, 1e9) so they are not read as identifiers.
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
    } else {
      i++;
    }
  }
  return counts;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** The content terms one identifier contributes per occurrence (a term may repeat: `foo_foo` gives `foo` twice). */
export function keptTermsOf(identifier: string): string[] {
  if (identifier.length <= 3 && /^[a-z]+$/.test(identifier)) {
    // Short lower-case words split to themselves; skip the splitting work.
    return keep(identifier) ? [identifier] : [];
  }
  // Not through the split cache: the term counter remembers each identifier's terms itself.
  return computeIdentifierTerms(identifier).filter(keep);
}

/** Tokens of a workspace-relative path: every segment, split on / . _ - and camelCase, plus each whole segment stem. */
export function pathTerms(path: string): string[] {
  const out = new Set<string>();
  for (const segment of path.split('/')) {
    const stem = segment.replace(/\.[A-Za-z0-9]+$/, '');
    const lower = stem.toLowerCase();
    if (lower.length >= 2) out.add(lower);
    for (const piece of stem.split(/[._\-\s]+/)) for (const t of identifierTerms(piece)) if (t.length >= 2) out.add(t);
  }
  return [...out];
}

/** Query words, tokenised the same way as contents (sub-words and whole identifiers), stopwords dropped. */
export function queryTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IDENTIFIER)) {
    if (m[0].length > 80) continue;
    for (const t of identifierTerms(m[0])) if (keep(t)) out.push(t);
  }
  return out;
}

/**
 * Identifier characters by char code (below 128) for scanners in other modules: 1 continues an identifier, 3 may also
 * start one. A table read in place, because a call through a module binding costs more than the test it makes.
 */
export const IDENTIFIER_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = isIdentStart(c) ? 3 : isIdentPart(c) ? 1 : 0;
  return table;
})();
