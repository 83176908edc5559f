// Ranking: each signal gives a file a score in [0, 1] and a reason; the weighted sum is scaled by the file's path prior
// (tests, docs, generated... are rarely what a fix edits), then personalised PageRank from the best matches adds the
// files those depend on. No signal is tuned to a repository: all are properties of paths, symbols and the graph.
import type { LexicalIndex } from '../index/lexical.js';
import type { SymbolGraph } from '../index/symbol-graph.js';
import { queryTerms, splitIdentifier } from '../index/tokenize.js';
import type { RankQuery, RankedFile, RankedSymbol } from '../index/types.js';
import { compactGraph, neighbourhood, pagerank } from './pagerank.js';
import { pathPrior } from './priors.js';
import { extractQuerySignals, installedRelative, pathMatchesMention, withoutFrameLines, type QuerySignals } from './query-signals.js';
import {
  blamedEvidence,
  documentedOptions,
  failingTestEvidence,
  flagEvidence,
  messageEvidence,
  moduleEvidence,
  moduleNameEvidence,
  quotedNameEvidence,
  type Credit,
} from './evidence.js';
import { readIssueText, withoutFences, type IssueText } from './issue-text.js';
import { stripEnvironmentDumps, stripTemplateComments, withoutImportLines, withoutUrls } from './boilerplate.js';
import { declarationsOf, isTestPath, subjectsOf } from './test-subjects.js';

export interface RankableIndex {
  readonly lexical: LexicalIndex;
  readonly graph: SymbolGraph;
  readonly gitRecency: ReadonlyMap<string, number>;
  readonly fileCount: number;
  pathOf(id: number): string | undefined;
  idOf(path: string): number | undefined;
  fileIds(): IterableIterator<number>;
  /** Files whose base name (lower-cased) is this. */
  filesNamed(basename: string): Iterable<number>;
  /** Package entry files (index.*, __init__.py) in directories with this name. */
  entriesInDirNamed(dir: string): Iterable<number>;
  /** Co-change and commit subjects from git, when the workspace has history. */
  readonly history?: {
    readonly size: number;
    coChanged(path: string): ReadonlyMap<string, number>;
    matchingCommits(query: string, limit?: number): { commit: { sha: string; subject: string; files: string[] }; score: number; words: string[] }[];
  };
  /** A file's indexed text, unless contents were dropped under the memory ceiling. */
  contentById(id: number): string | undefined;
}

/** Signal weights. General, set once; see bench/localize.ts for how they are measured. */
export const WEIGHTS = {
  path: 1.5,
  content: 1.2,
  symbol: 1.2,
  mention: 2.5,
  pagerank: 0.6,
  active: 0.4,
  open: 0.15,
  edited: 0.25,
  diagnostic: 0.35,
  git: 0.1,
  /** Defines the callable an error line blames (`RST.__init__() got an unexpected keyword`). */
  blamed: 3.0,
  /** The file raising or formatting a message the issue quotes. */
  message: 1.6,
  /** A module the issue imports or names by its dotted or slashed path. */
  module: 1.8,
  /** Declares a CLI flag or reads a config key the issue uses. */
  flag: 1.0,
  /** The subject of a test the issue says fails. */
  failingTest: 2.0,
  /** The subject of a test file that matched the query: tests describe behaviour in the issue's words. */
  testSubject: 1.2,
  /** Linked by import or use to several of the best matches, in either direction. */
  neighbour: 0.12,
  /** The type declarations of one of the best matches (share of its score). */
  declaration: 0.3,
  /** Changed in the same commits as one of the best matches. */
  coChange: 0.3,
  /** Touched by a commit whose subject shares the issue's rare words. */
  commit: 0.4,
};

/** The prior of user docs that list an option the issue names (prose is 0.4): below the code that reads it. */
const DOCUMENTED_PRIOR = 0.7;

const DECLARATION = /\.d\.[cm]?ts$|\.pyi$/;
const BUILTIN_MEMBER = /\b(Date|Math|JSON|Object|Array|Number|String|Promise|Reflect|Symbol|Intl|console|process|window|document|navigator)\.[A-Za-z_$][\w$]*/g;

/** Normalised lexical scores below this are ignored (they cannot reach the top on their own). */
const MIN_NORMALISED = 0.05;

/** Files seeding the personalised PageRank. */
const SEEDS = 20;

/** Allocated per matched file, thousands per query on a large tree: the collections are created on first use. */
class Candidate {
  score = 0;
  private reasonList: string[] | undefined;
  private symbolMap: Map<string, RankedSymbol> | undefined;

  get reasons(): string[] {
    return (this.reasonList ??= []);
  }

  get symbols(): Map<string, RankedSymbol> {
    return (this.symbolMap ??= new Map());
  }

  get hasReasons(): boolean {
    return this.reasonList !== undefined;
  }

  get hasSymbols(): boolean {
    return this.symbolMap !== undefined;
  }
}

export function rankFiles(index: RankableIndex, query: RankQuery): RankedFile[] {
  const top = query.top ?? 10;
  // `Date.parse(...)`, `Math.max(...)` name the runtime, not the workspace: their members are not query words.
  const text = stripEnvironmentDumps(stripTemplateComments(query.text)).replace(BUILTIN_MEMBER, '$1');
  const signals = extractQuerySignals(text);
  const issue = readIssueText(text);
  // Words are read from the prose and code, not from links or the trace's frame lines (those are read as mentions).
  // Import lines are read as module evidence; their words counted again would make every setup import a match.
  const wordText = withoutImportLines(withoutFrameLines(withoutUrls(text)));
  const terms = queryTerms(wordText);
  const codeTerms = new Set(signals.identifiers.flatMap((id) => [...splitIdentifier(id), id.toLowerCase()]));
  const cands = new Map<number, Candidate>();
  const get = (id: number): Candidate => {
    let c = cands.get(id);
    if (!c) cands.set(id, (c = new Candidate()));
    return c;
  };

  const paths = pathScores(index, terms, codeTerms, wordSequence(wordText));
  addNormalised(paths.scores, WEIGHTS.path, get, (id) => `path matches ${paths.words(id)}${paths.phrased.has(id) ? ' (its name, words in order)' : ''}`);
  addNormalised(index.lexical.scoreContent(terms), WEIGHTS.content, get, (_id, s) => `text matches (bm25 ${s.toFixed(1)})`);
  const resolve = mentionResolver(index);
  symbolScores(index, signals, issue, get, resolve);
  const { named, tests: namedTests } = mentionScores(index, signals, issue, get, resolve);
  applyCapped(get, WEIGHTS.blamed, (credit) => blamedEvidence(index, issue, credit));
  applyCapped(get, WEIGHTS.message, (credit) => messageEvidence(index, issue, credit));
  // An import and a quoted name often say the same thing (`require('x/locale/de')`, `locale('de')`): one cap for both.
  applyCapped(get, WEIGHTS.module, (credit) => {
    moduleEvidence(index, issue, credit);
    quotedNameEvidence(index, issue, credit);
    moduleNameEvidence(index, proseModuleNames(text), credit);
  });
  applyCapped(get, WEIGHTS.flag, (credit) => flagEvidence(index, issue, credit));
  applyCapped(get, WEIGHTS.failingTest, (credit) => failingTestEvidence(index, issue.failingTests, credit));
  testSubjectScores(index, cands, get, namedTests);
  editorScores(index, query, get);
  historyScores(index, text, cands, get);

  const documents = documentedOptions(index, issue, signals.identifiers);
  for (const [id, options] of documents)
    get(id).reasons.push(
      `documents ${options
        .slice(0, 3)
        .map((o) => `\`${o}\``)
        .join(', ')}, named in the issue`,
    );

  // Priors scale what the query matched; PageRank below is scaled the same way.
  const priors = new Map<number, number>();
  const priorOf = (id: number): number => {
    let p = priors.get(id);
    if (p === undefined) {
      const prior = pathPrior(index.pathOf(id) ?? '');
      p = prior.factor;
      // A vendored or built file the issue names by its own path is what the issue is about.
      if (named.has(id) && prior.labels.some((l) => THIRD_PARTY.has(l))) p = Math.max(p, 0.8);
      // Docs listing an option the issue names change with it: their prose prior is lifted, not removed.
      if (documents.has(id)) p = Math.max(p, DOCUMENTED_PRIOR);
      priors.set(id, p);
    }
    return p;
  };
  for (const [id, c] of cands) c.score *= priorOf(id);

  // Personalised PageRank seeded on the best matches: what they use and what uses them gains rank.
  const seeds = topK(cands, SEEDS);
  if (seeds.length) {
    const local = compactGraph(
      neighbourhood(
        index.graph.edges,
        seeds.map(([id]) => id),
      ),
      index.graph.edges,
    );
    const pr = pagerank(local, new Map(seeds.map(([id, c]) => [id, c.score])), { iterations: 20, tolerance: 1e-5 });
    let max = 0;
    for (const v of pr.values()) max = Math.max(max, v);
    if (max > 0) {
      for (const [id, v] of pr) {
        const norm = v / max;
        if (norm < 0.02) continue;
        const c = get(id);
        c.score += WEIGHTS.pagerank * norm * priorOf(id);
        const users = seeds.filter(([seed]) => seed !== id && index.graph.edges.get(seed)?.has(id)).length;
        c.reasons.push(
          users ? `pagerank ${norm.toFixed(2)} (used by ${users} top file${users > 1 ? 's' : ''})` : `pagerank ${norm.toFixed(2)} (linked to the matches)`,
        );
      }
    }
  }

  neighbourScores(index, cands, get);
  declarationScores(index, cands, get);

  // Ties broken by path so equal scores rank the same way every run.
  return topK(cands, top + 20)
    .sort((a, b) => b[1].score - a[1].score || (index.pathOf(a[0]) ?? '').localeCompare(index.pathOf(b[0]) ?? ''))
    .slice(0, top)
    .map(([id, c]) => ({
      path: index.pathOf(id) ?? '',
      score: Number(c.score.toFixed(4)),
      reasons: withPriorReason(c.hasReasons ? c.reasons : [], index.pathOf(id) ?? '', named.has(id)),
      symbols: fileSymbols(index, id, c, terms),
    }));
}

function addNormalised(scores: Map<number, number>, weight: number, get: (id: number) => Candidate, reason: (id: number, score: number) => string): void {
  let max = 0;
  for (const s of scores.values()) max = Math.max(max, s);
  if (max <= 0) return;
  for (const [id, s] of scores) {
    const norm = s / max;
    // A weak match alone cannot reach the top; not tracking it keeps large workspaces fast.
    if (norm < MIN_NORMALISED) continue;
    const c = get(id);
    c.score += weight * norm;
    if (norm >= 0.2) c.reasons.push(reason(id, s));
  }
}

/** A path's segments (lower-cased stem and its words), once per process: paths repeat across queries. Bounded. */
const SEGMENTS = new Map<string, { stem: string; words: string[] }[]>();
function pathSegments(path: string): { stem: string; words: string[] }[] {
  let segments = SEGMENTS.get(path);
  if (!segments) {
    if (SEGMENTS.size > 300_000) SEGMENTS.clear();
    segments = path.split('/').map((segment) => {
      const stem = segment.replace(/\.[A-Za-z0-9]+$/, '');
      return {
        stem: stem.toLowerCase(),
        words: [
          ...new Set(
            stem
              .split(/[._\-\s]+/)
              .flatMap((piece) => splitIdentifier(piece))
              .filter((w) => w.length >= 2),
          ),
        ],
      };
    });
    SEGMENTS.set(path, segments);
  }
  return segments;
}

/** The issue's words in order, identifiers split (`parseDate` -> parse date), space-separated with a space each end. */
function wordSequence(text: string): string {
  const words: string[] = [];
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9]*/g)) words.push(...splitIdentifier(m[0]));
  return ` ${words.join(' ')} `;
}

/** File names that say how code is laid out, not what it is about. */
const STRUCTURAL = new Set(['index', 'init', 'main', 'mod', 'src', 'lib', 'source', 'test', 'tests']);

/**
 * Query words found among a file's path segments, weighted by how rare each is among paths. A segment whose words the
 * query covers entirely (`weekYear` for "weekYear") says more than one sharing a single word with it
 * (`advancedFormat` for "format"). Code-like words count more.
 */
function pathScores(
  index: RankableIndex,
  terms: string[],
  codeTerms: Set<string>,
  sequence: string,
): { scores: Map<number, number>; words: (id: number) => string; phrased: Set<number> } {
  const scores = new Map<number, number>();
  const phrased = new Set<number>();
  const matched: string[] = [];
  const weight = new Map<string, number>();
  for (const term of new Set(terms)) {
    if (STRUCTURAL.has(term)) continue;
    const posting = index.lexical.pathPosting(term);
    if (!posting || posting.size > index.fileCount / 2) continue;
    matched.push(term);
    weight.set(term, index.lexical.pathIdf(term) * (codeTerms.has(term) ? 1.5 : 1));
  }
  // The plain sum first (one pass over postings); the per-segment refinement only for files that can still matter.
  const plain = new Map<number, number>();
  let best = 0;
  for (const term of matched) {
    const w = weight.get(term)!;
    for (const id of index.lexical.pathPosting(term) ?? []) {
      const v = (plain.get(id) ?? 0) + w;
      plain.set(id, v);
      if (v > best) best = v;
    }
  }
  for (const [id, sumAll] of plain) {
    if (sumAll < best * MIN_NORMALISED) continue;
    let score = 0;
    for (const { stem, words } of pathSegments(index.pathOf(id) ?? '')) {
      const whole = weight.get(stem);
      let sum = 0;
      let hit = 0;
      for (const w of words) {
        const v = weight.get(w);
        if (v !== undefined) {
          sum += v;
          hit++;
        }
      }
      if (whole !== undefined && words.length > 1) score += whole + sum;
      // The segment's words in its order in the issue ("the wakatime card" for `wakatime-card.js`) name it whole.
      else if (hit === words.length && hit > 1 && sequence.includes(` ${words.join(' ')} `)) {
        score += 2 * sum;
        phrased.add(id);
      } else if (hit) score += sum * (0.4 + (0.6 * hit) / words.length);
    }
    if (score > 0) scores.set(id, score);
  }
  // Reasons are only spelled out for the files that get one.
  const words = (id: number): string =>
    matched
      .filter((t) => index.lexical.pathPosting(t)?.has(id))
      .slice(0, 4)
      .map((t) => `"${t}"`)
      .join(', ');
  return { scores, words, phrased };
}

/** Files defining identifiers the query names. A name defined in few files is strong evidence; in many, weak. */
function symbolScores(
  index: RankableIndex,
  signals: QuerySignals,
  issue: IssueText,
  get: (id: number) => Candidate,
  resolve: (mention: string) => number[],
): void {
  const raw = new Map<number, { score: number; names: string[] }>();
  // A frame's function counts here only when its file is not in the workspace: otherwise the frame credits the file.
  const tracedInWorkspace = new Set(signals.frames.filter((f) => f.fn && resolve(f.path).length).flatMap((f) => expandFn(f.fn!)));
  const names = signals.identifiers.filter((n) => !(signals.frameOnly.has(n) && tracedInWorkspace.has(n)) && !issue.setupNames.has(n));
  for (const id of [...issue.codeIdentifiers, ...issue.errorIdentifiers]) if (!names.includes(id)) names.push(id);
  for (const name of names) {
    const exact = index.graph.definersOf(name);
    const found = exact?.size ? exact : name.length >= 4 ? index.graph.definersOfLower(name) : undefined;
    if (!found || found.size === 0 || found.size > 25) continue;
    // A declaration file restates what an implementation defines: it counts only when nothing else defines the name.
    const implementations = [...found].filter((id) => !DECLARATION.test(index.pathOf(id) ?? ''));
    const files = implementations.length ? implementations : [...found];
    const specificity = 1 / Math.sqrt(files.length);
    for (const id of files) {
      const sym = index.graph.symbolsOf(id).find((s) => s.name === name || s.name.toLowerCase() === name.toLowerCase());
      const kindWeight = sym && (sym.kind === 'variable' || sym.kind === 'constant') ? 0.6 : 1;
      const e = raw.get(id) ?? { score: 0, names: [] };
      e.score += specificity * kindWeight;
      e.names.push(
        issue.errorIdentifiers.has(name)
          ? `\`${name}\` (named in the error)`
          : issue.codeIdentifiers.has(name)
            ? `\`${name}\` (used in the issue's code)`
            : `\`${name}\``,
      );
      raw.set(id, e);
      if (sym) get(id).symbols.set(sym.name, { name: sym.name, kind: sym.kind, line: sym.line, reasons: ['named in the query'] });
    }
  }
  let max = 0;
  for (const e of raw.values()) max = Math.max(max, e.score);
  for (const [id, e] of raw) {
    const c = get(id);
    c.score += WEIGHTS.symbol * (e.score / max);
    c.reasons.push(`defines ${e.names.slice(0, 3).join(', ')}${e.names.some((n) => n.includes('(')) ? '' : ' (named in the query)'}`);
  }
}

/**
 * Files named outright, or in a stack trace: the strongest evidence a query can give. A trace's innermost frame (last
 * in Python, first in JavaScript) is nearest the fault; frames outside the workspace (the runtime, other packages) do
 * not count. Returns the files named by a workspace path of their own (not an installed copy's), whose vendored or
 * build-output prior the issue overrides, and the test files named (their subjects gain rank).
 */
function mentionScores(
  index: RankableIndex,
  signals: QuerySignals,
  issue: IssueText,
  get: (id: number) => Candidate,
  resolve: (mention: string) => number[],
): { named: Set<number>; tests: Set<number> } {
  const named = new Set<number>();
  const tests = new Set<number>();
  if (!signals.files.length) return { named, tests };
  const frameWeight = new Map<string, number>();
  const innermost = new Set<string>();
  const outerFirst = signals.frames.filter((f) => !f.innermostLast);
  const innerLast = signals.frames.filter((f) => f.innermostLast).reverse();
  for (const group of [outerFirst, innerLast]) {
    let depth = 0;
    for (const f of group) {
      if (!resolve(f.path).length) continue;
      // In a signature error (`f() got an unexpected keyword`) the innermost frame is the caller; the callee is blamed.
      const inner = depth === 0 && issue.signatureError ? 0.7 : 1;
      if (depth === 0) innermost.add(f.path);
      if (!frameWeight.has(f.path)) frameWeight.set(f.path, Math.max(0.5, 1 - 0.15 * depth) * inner);
      depth++;
    }
  }
  const credited = new Set<number>();
  for (const mention of signals.files) {
    const ids = resolve(mention);
    for (const id of ids) {
      if (credited.has(id)) continue;
      credited.add(id);
      const path = index.pathOf(id) ?? '';
      if (isTestPath(path)) tests.add(id);
      else if (mention.includes('/') && !installedRelative(mention)) named.add(id);
      const c = get(id);
      const inTrace = frameWeight.get(mention);
      c.score += (WEIGHTS.mention * (inTrace ?? 0.8)) / Math.sqrt(ids.length);
      c.reasons.push(
        inTrace !== undefined ? `in the stack trace (${mention}${innermost.has(mention) ? ', innermost frame' : ''})` : `named in the query (${mention})`,
      );
      for (const frame of signals.frames) {
        if (frame.path !== mention || !frame.line) continue;
        const sym = index.graph.symbolsOf(id).find((s) => s.line <= frame.line! && s.endLine >= frame.line! && s.kind !== 'variable');
        if (sym) c.symbols.set(sym.name, { name: sym.name, kind: sym.kind, line: sym.line, reasons: [`stack frame line ${frame.line}`] });
      }
    }
  }
  return { named, tests };
}

/**
 * Code names in the prose that could be a module's name: compound names (`customParseFormat`, `stats_card`) and
 * members called on an object (`lib.duration()`); a plain word (`url`, `format`) names too many things.
 */
function proseModuleNames(text: string): string[] {
  const prose = withoutFences(text);
  const signals = extractQuerySignals(prose);
  const called = new Set([...withoutFrameLines(prose).matchAll(/\.([A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1] ?? ''));
  return signals.identifiers.filter((n) => !signals.frameOnly.has(n) && (splitIdentifier(n).length > 1 || called.has(n)));
}

function expandFn(fn: string): string[] {
  return fn.split(/[.\s]+/).filter((p) => p.length >= 2);
}

/**
 * A mentioned path (a frame's or the prose's) to the workspace files it names: by suffix, through an installed
 * copy's path; failing that, a built per-module file (`objectSupport.js`, `utc.min.js`) to the module directory's
 * entry (`src/plugin/objectSupport/index.js`). Memoised for one query.
 */
function mentionResolver(index: RankableIndex): (mention: string) => number[] {
  const resolved = new Map<string, number[]>();
  return (mention) => {
    let ids = resolved.get(mention);
    if (ids) return ids;
    const parts = mention.split('/');
    const file = parts.pop() ?? mention;
    ids = [...index.filesNamed(file.toLowerCase())].filter((id) => pathMatchesMention(index.pathOf(id) ?? '', mention));
    if (!ids.length && /\.[cm]?[jt]sx?$/.test(file)) {
      const stem = file.replace(/(\.min)?\.[cm]?[jt]sx?$/, '');
      // The mention's directories, less a leading package name, must end the module directory's parent path.
      const installed = installedRelative(mention);
      const wanted = installed !== undefined ? installed.split('/').slice(0, -1) : parts.slice(1);
      ids = [...index.entriesInDirNamed(stem)].filter((id) => {
        const p = index.pathOf(id) ?? '';
        if (!/\/index\.[cm]?[jt]sx?$/.test(p) || DECLARATION.test(p)) return false;
        const parent = p.split('/').slice(0, -2);
        return wanted.every((d, k) => parent[parent.length - wanted.length + k]?.toLowerCase() === d.toLowerCase());
      });
      if (ids.length > 3) ids = [];
    }
    resolved.set(mention, ids);
    return ids;
  };
}

/** Runs one kind of evidence and adds it, each file's total for that kind capped at the kind's weight. */
function applyCapped(get: (id: number) => Candidate, weight: number, run: (credit: Credit) => void): void {
  const found = new Map<number, { score: number; reasons: string[] }>();
  run((id, score, reason) => {
    const e = found.get(id) ?? { score: 0, reasons: [] };
    e.score += score;
    if (e.reasons.length < 2 && !e.reasons.includes(reason)) e.reasons.push(reason);
    found.set(id, e);
  });
  for (const [id, e] of found) {
    const c = get(id);
    c.score += weight * Math.min(1, e.score);
    c.reasons.push(...e.reasons);
  }
}

/**
 * A test file the issue names or traces points to its subject: the test shows the failure, the subject holds the fix.
 * (Tests that merely match the issue's words lend nothing: every module's test does.)
 */
function testSubjectScores(index: RankableIndex, cands: Map<number, Candidate>, get: (id: number) => Candidate, named: ReadonlySet<number>): void {
  const tests = topK(cands, 60).filter(([id]) => named.has(id) && isTestPath(index.pathOf(id) ?? ''));
  if (!tests.length) return;
  const max = tests[0]![1].score;
  const lent = new Map<number, { score: number; from: string }>();
  for (const [id, c] of tests.slice(0, 10)) {
    const path = index.pathOf(id) ?? '';
    const subjects = subjectsOf(index, path);
    for (const s of subjects) {
      const e = lent.get(s);
      const score = c.score / max / subjects.length;
      if (!e || e.score < score) lent.set(s, { score, from: path });
    }
  }
  for (const [id, e] of lent) {
    const c = get(id);
    c.score += WEIGHTS.testSubject * e.score;
    c.reasons.push(`its test ${e.from} is named in the issue`);
  }
}

/** History: files that changed with the best matches, and files touched by commits that read like the issue. */
function historyScores(index: RankableIndex, text: string, cands: Map<number, Candidate>, get: (id: number) => Candidate): void {
  const history = index.history;
  if (!history?.size) return;
  const seeds = topK(cands, 5);
  if (seeds.length) {
    const max = seeds[0]![1].score;
    const lent = new Map<number, { score: number; with: string; n: number }>();
    for (const [seed, c] of seeds) {
      const path = index.pathOf(seed) ?? '';
      const row = history.coChanged(path);
      let most = 0;
      for (const n of row.values()) most = Math.max(most, n);
      for (const [other, n] of row) {
        const id = index.idOf(other);
        if (id === undefined || id === seed || n < 2) continue;
        const score = (c.score / max) * (n / most);
        const e = lent.get(id);
        if (!e || e.score < score) lent.set(id, { score, with: path, n });
      }
    }
    for (const [id, e] of lent) {
      const c = get(id);
      c.score += WEIGHTS.coChange * e.score;
      c.reasons.push(`changed with ${e.with} in ${e.n} commits`);
    }
  }
  const commits = history.matchingCommits(text);
  if (!commits.length) return;
  const best = commits[0]!.score;
  const credited = new Set<number>();
  for (const { commit, score } of commits) {
    if (commit.files.length > 20) continue;
    for (const f of commit.files) {
      const id = index.idOf(f);
      if (id === undefined || credited.has(id)) continue;
      credited.add(id);
      const c = get(id);
      c.score += (WEIGHTS.commit * score) / best;
      c.reasons.push(`touched by commit ${commit.sha.slice(0, 7)} "${commit.subject.slice(0, 60)}" (its words match the issue)`);
    }
  }
}

/** The declarations of a top JavaScript module follow it: when its API changes, they do. */
function declarationScores(index: RankableIndex, cands: Map<number, Candidate>, get: (id: number) => Candidate): void {
  for (const [id, c] of topK(cands, 5)) {
    const path = index.pathOf(id) ?? '';
    for (const decl of declarationsOf(index, path)) {
      const d = get(decl);
      d.score += WEIGHTS.declaration * c.score;
      d.reasons.push(`declares the types of ${path}`);
    }
  }
}

/**
 * Files importing or using several of the best matches (an entry point, a caller tying them together) join them.
 * The other direction, what the matches use, is PageRank's: counting it again here would lift every hub twice.
 */
function neighbourScores(index: RankableIndex, cands: Map<number, Candidate>, get: (id: number) => Candidate): void {
  const seeds = topK(cands, 8);
  if (seeds.length < 2) return;
  const max = seeds[0]![1].score;
  const users = new Map<number, { score: number; uses: number }>();
  for (const [seed, c] of seeds) {
    const inn = index.graph.linkedFrom(seed);
    // A file everything uses (a utility) says nothing about its users.
    if (inn.size > 50) continue;
    for (const f of inn) {
      const e = users.get(f) ?? { score: 0, uses: 0 };
      e.score += c.score / max / Math.sqrt(inn.size);
      e.uses++;
      users.set(f, e);
    }
  }
  for (const [id, e] of users) {
    if (e.uses < 2) continue;
    const c = get(id);
    c.score += WEIGHTS.neighbour * Math.min(1, e.score / 2) * pathPrior(index.pathOf(id) ?? '').factor;
    c.reasons.push(`uses ${e.uses} top files`);
  }
}

function editorScores(index: RankableIndex, query: RankQuery, get: (id: number) => Candidate): void {
  const bump = (path: string, weight: number, reason: string): void => {
    const id = index.idOf(path);
    if (id === undefined) return;
    const c = get(id);
    c.score += weight;
    c.reasons.push(reason);
  };
  if (query.activeFile) bump(query.activeFile, WEIGHTS.active, 'active editor');
  for (const p of query.openFiles ?? []) if (p !== query.activeFile) bump(p, WEIGHTS.open, 'open in an editor');
  for (const p of query.recentEdits ?? []) bump(p, WEIGHTS.edited, 'recently edited');
  const diagnosed = new Map<string, number>();
  for (const d of query.diagnostics ?? []) diagnosed.set(d.path, (diagnosed.get(d.path) ?? 0) + (d.severity === 'error' ? 1 : 0.3));
  for (const [p, n] of diagnosed) bump(p, WEIGHTS.diagnostic * Math.min(1, n), `has ${n >= 1 ? 'errors' : 'warnings'}`);
  for (const [p, w] of index.gitRecency) {
    const id = index.idOf(p);
    // Recency alone never makes a file relevant; it breaks ties among files the query already matched.
    if (id === undefined || w < 0.05) continue;
    const c = get(id);
    if (c.score <= 0) continue;
    c.score += WEIGHTS.git * w;
    if (w > 0.5) c.reasons.push('changed in recent commits');
  }
}

/** The k best-scoring candidates (score > 0), best first, without sorting them all. */
function topK(cands: Map<number, Candidate>, k: number): [number, Candidate][] {
  const best: [number, Candidate][] = [];
  for (const entry of cands) {
    const score = entry[1].score;
    if (score <= 0 || (best.length >= k && score <= best[best.length - 1]![1].score)) continue;
    let i = best.length;
    while (i > 0 && best[i - 1]![1].score < score) i--;
    best.splice(i, 0, entry);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Priors an issue overrides by naming the file's own path. */
const THIRD_PARTY = new Set(['vendored', 'build output', 'bundled', 'generated']);

function withPriorReason(reasons: string[], path: string, named = false): string[] {
  const labels = pathPrior(path).labels.filter((l) => !named || !THIRD_PARTY.has(l));
  return labels.length ? [...reasons, `down-weighted: ${labels.join(', ')}`] : reasons;
}

/** The file's symbols most relevant to the query: named ones first, then those sharing query words. */
function fileSymbols(index: RankableIndex, id: number, c: Candidate, terms: string[]): RankedSymbol[] {
  const out = c.hasSymbols ? [...c.symbols.values()] : [];
  const wanted = new Set(terms);
  for (const s of index.graph.symbolsOf(id)) {
    if (out.length >= 8) break;
    if (c.hasSymbols && c.symbols.has(s.name)) continue;
    const shared = splitIdentifier(s.name).filter((t) => wanted.has(t));
    if (shared.length) out.push({ name: s.name, kind: s.kind, line: s.line, reasons: [`shares ${shared.map((t) => `"${t}"`).join(', ')} with the query`] });
  }
  return out.slice(0, 8);
}
