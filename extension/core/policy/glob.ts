// Glob matching for permission rules. Patterns follow minimatch's syntax and `dot: true` semantics (brace expansion
// is minimatch's own), but matching is done here with a segment DP and a linear-backtrack wildcard matcher, because
// minimatch compiles segments to backtracking regular expressions: a hostile rule such as `**/**/*a*a*a*a*a*a` against
// a long path takes seconds there. Here the worst case is polynomial (pattern size x path size).
import { braceExpand } from 'minimatch';

type Token = { t: 'lit'; c: string } | { t: 'one' } | { t: 'star' } | { t: 'class'; negate: boolean; ranges: Array<[string, string]> };

type Segment = { globstar: true } | { globstar: false; tokens: Token[] };

export interface CompiledGlob {
  source: string;
  /** One entry per brace alternative, each a list of path segments. */
  alternatives: Segment[][];
  /** True when the pattern is an absolute path (matched against the absolute real path). */
  absolute: boolean;
}

export class GlobError extends Error {}

const MAX_ALTERNATIVES = 64;
const MAX_PATTERN_LENGTH = 1024;

export function compileGlob(pattern: string): CompiledGlob {
  if (pattern.length === 0) throw new GlobError('empty pattern');
  if (pattern.length > MAX_PATTERN_LENGTH) throw new GlobError(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  if (pattern.includes('\0')) throw new GlobError('pattern contains a NUL byte');
  if (/[+@!?*]\(/.test(pattern)) throw new GlobError('extended globs like `+(a|b)` are not supported');
  if (/\[[!^]?\[:/.test(pattern)) throw new GlobError('POSIX character classes like `[[:alpha:]]` are not supported');
  const absolute = pattern.startsWith('/');
  const expanded = braceExpand(pattern);
  if (expanded.length > MAX_ALTERNATIVES) throw new GlobError(`brace expansion gives more than ${MAX_ALTERNATIVES} patterns`);
  const alternatives = expanded.map((alt) => {
    let body = absolute ? alt.replace(/^\/+/, '') : alt;
    while (body.startsWith('./')) body = body.slice(2);
    const parts = body.split('/').filter((s) => s !== '');
    if (parts.some((s) => s === '..' || s === '.')) throw new GlobError('`.` and `..` segments are not allowed in a pattern');
    const segments: Segment[] = [];
    for (const part of parts) {
      const seg: Segment = part === '**' ? { globstar: true } : { globstar: false, tokens: tokenize(part) };
      // `**/**` is the same as `**`; collapsing keeps the DP small.
      const prev = segments[segments.length - 1];
      if (seg.globstar && prev?.globstar) continue;
      segments.push(seg);
    }
    return segments;
  });
  return { source: pattern, alternatives, absolute };
}

function tokenize(seg: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) {
      out.push({ t: 'lit', c: seg[++i]! });
    } else if (c === '*') {
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' });
    } else if (c === '?') {
      out.push({ t: 'one' });
    } else if (c === '[') {
      const parsed = parseClass(seg, i);
      if (parsed) {
        out.push(parsed.token);
        i = parsed.end;
      } else {
        out.push({ t: 'lit', c });
      }
    } else {
      out.push({ t: 'lit', c });
    }
  }
  return out;
}

function parseClass(seg: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (seg[i] === '!' || seg[i] === '^') {
    negate = true;
    i++;
  }
  const ranges: Array<[string, string]> = [];
  let first = true;
  while (i < seg.length) {
    let c = seg[i]!;
    if (c === ']' && !first) return { token: { t: 'class', negate, ranges }, end: i };
    first = false;
    if (c === '\\' && i + 1 < seg.length) c = seg[++i]!;
    if (seg[i + 1] === '-' && i + 2 < seg.length && seg[i + 2] !== ']') {
      let hi = seg[i + 2]!;
      i += 2;
      if (hi === '\\' && i + 1 < seg.length) hi = seg[++i]!;
      ranges.push([c, hi]);
    } else {
      ranges.push([c, c]);
    }
    i++;
  }
  return undefined;
}

function tokenMatches(tok: Token, ch: string, nocase: boolean): boolean {
  switch (tok.t) {
    case 'one':
      return true;
    case 'star':
      return true;
    case 'lit':
      return nocase ? tok.c.toLowerCase() === ch.toLowerCase() : tok.c === ch;
    case 'class': {
      const variants = nocase ? [ch, ch.toLowerCase(), ch.toUpperCase()] : [ch];
      const hit = tok.ranges.some(([lo, hi]) => variants.some((v) => v >= lo && v <= hi));
      return hit !== tok.negate;
    }
  }
}

/** Wildcard match of one path segment: greedy with a single backtrack point, O(pattern x text). */
function matchSegment(tokens: Token[], text: string, nocase: boolean): boolean {
  const chars = Array.from(text);
  let ti = 0;
  let pi = 0;
  let starPi = -1;
  let starTi = 0;
  while (ti < chars.length) {
    const tok = tokens[pi];
    if (tok && tok.t === 'star') {
      starPi = pi++;
      starTi = ti;
    } else if (tok && tokenMatches(tok, chars[ti]!, nocase)) {
      pi++;
      ti++;
    } else if (starPi >= 0) {
      pi = starPi + 1;
      ti = ++starTi;
    } else {
      return false;
    }
  }
  while (tokens[pi]?.t === 'star') pi++;
  return pi === tokens.length;
}

function matchSegments(pat: Segment[], path: string[], nocase: boolean): boolean {
  // ok[j] after processing pattern index i (from the end): pattern pat[i..] matches path[j..].
  const n = path.length;
  let next: boolean[] = new Array<boolean>(n + 1).fill(false);
  next[n] = true;
  for (let i = pat.length - 1; i >= 0; i--) {
    const seg = pat[i]!;
    const cur: boolean[] = new Array<boolean>(n + 1).fill(false);
    if (seg.globstar) {
      // minimatch: a trailing `**` after other segments needs at least one segment (`a/**` does not match `a`).
      const trailing = i === pat.length - 1 && pat.length > 1;
      let anyLater = false;
      for (let j = n; j >= 0; j--) {
        if (!trailing && next[j]) anyLater = true;
        cur[j] = anyLater;
        if (trailing && next[j]) anyLater = true;
      }
      if (trailing) cur[n] = false;
    } else {
      for (let j = 0; j < n; j++) cur[j] = next[j + 1]! && matchSegment(seg.tokens, path[j]!, nocase);
    }
    next = cur;
  }
  return next[0]!;
}

/**
 * Matches a compiled glob against a path: `relative` (forward slashes, relative to the root that contains it) for
 * relative patterns, `absolute` (forward slashes) for absolute ones.
 */
export function matchGlob(glob: CompiledGlob, target: { relative?: string; absolute?: string }, nocase: boolean): boolean {
  const subject = glob.absolute ? target.absolute?.replace(/^\/+/, '') : target.relative;
  if (subject === undefined) return false;
  const segments = subject === '' ? [] : subject.split('/');
  return glob.alternatives.some((alt) => matchSegments(alt, segments, nocase));
}

/** Matches a name that has no path structure (an MCP tool name such as `github.create_issue`). */
export function matchName(glob: CompiledGlob, name: string): boolean {
  return matchGlob(glob, { relative: name }, false);
}
