// The workspace index: walk, read, tokenise, parse symbols, link files, then answer rank / repoMap / lookupSymbol
// queries and take incremental updates. Everything here is plain Node: the context server and the CLI both host it.
import { coldRead } from './cold-read.js';
import { readGitRecency } from './git-recency.js';
import { GitHistory, refreshGitHistory } from './git-history.js';
import { defaultGrammarsDir, loadGrammars, type GrammarSet } from './grammars.js';
import { importSpecifiers, resolveImport } from './imports.js';
import { LexicalIndex } from './lexical.js';
import { SymbolGraph } from './symbol-graph.js';
import type { CountedTerms } from './term-counter.js';
import { extractSymbols, type DefinedSymbol } from './symbols.js';
import { throwIfAborted, walkWorkspace } from './walk.js';
import { rankFiles, type RankableIndex } from '../ranking/rank.js';
import { buildRepoMap } from '../ranking/repo-map.js';
import { countIdentifiers, queryTerms } from './tokenize.js';
import type { IndexOptions, IndexStats, RankQuery, RankedFile, RepoMapSlice, SkippedFile, SymbolInfo, WorkspaceIndexApi } from './types.js';

const DEFAULT_MAX_FILES = 200_000;
const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const DEFAULT_MEMORY_CEILING = 1024 * 1024 * 1024;

export class WorkspaceIndex implements WorkspaceIndexApi, RankableIndex {
  readonly lexical = new LexicalIndex();
  readonly graph = new SymbolGraph();
  private readonly ids = new Map<string, number>();
  private readonly paths = new Map<number, string>();
  private readonly contents = new Map<number, string>();
  private contentBytes = 0;
  private contentsDropped = false;
  private nextId = 0;
  private readonly byBasename = new Map<string, Set<number>>();
  /** Package entry files (index.*, __init__.py) by their directory's name, lower-cased: `lib/utils` -> lib/utils/index.js. */
  private readonly entriesByDir = new Map<string, Set<number>>();
  gitRecency = new Map<string, number>();
  /** Co-change and commit subjects, read once at build and refreshed incrementally. */
  readonly history = new GitHistory();
  /** How the cold build's read phase went, for stats(). */
  readWorkers = { started: 0, failed: 0, files: 0 };

  /** No grammars until they are loaded: the lexical index is built while the wasm compiles. */
  private grammars: GrammarSet = { parser: undefined, grammars: new Map(), warnings: [] };

  constructor(
    private readonly options: IndexOptions,
    private readonly skipped: SkippedFile[],
  ) {}

  setGrammars(grammars: GrammarSet): void {
    this.grammars = grammars;
  }

  // ---- RankableIndex ----
  pathOf(id: number): string | undefined {
    return this.paths.get(id);
  }

  idOf(path: string): number | undefined {
    return this.ids.get(path);
  }

  fileIds(): IterableIterator<number> {
    return this.paths.keys();
  }

  get fileCount(): number {
    return this.paths.size;
  }

  contentById(id: number): string | undefined {
    return this.contents.get(id);
  }

  filesNamed(basename: string): Iterable<number> {
    return this.byBasename.get(basename) ?? [];
  }

  private track(id: number, path: string): void {
    this.ids.set(path, id);
    this.paths.set(id, path);
    const base = (path.split('/').pop() ?? path).toLowerCase();
    let set = this.byBasename.get(base);
    if (!set) this.byBasename.set(base, (set = new Set()));
    set.add(id);
    const dir = entryDir(path);
    if (dir !== undefined) {
      let entries = this.entriesByDir.get(dir);
      if (!entries) this.entriesByDir.set(dir, (entries = new Set()));
      entries.add(id);
    }
  }

  private untrack(id: number, path: string): void {
    this.ids.delete(path);
    this.paths.delete(id);
    this.byBasename.get((path.split('/').pop() ?? path).toLowerCase())?.delete(id);
    const dir = entryDir(path);
    if (dir !== undefined) this.entriesByDir.get(dir)?.delete(id);
  }

  entriesInDirNamed(dir: string): Iterable<number> {
    return this.entriesByDir.get(dir.toLowerCase()) ?? [];
  }

  // ---- WorkspaceIndexApi ----
  rank(query: RankQuery): RankedFile[] {
    return rankFiles(this, query);
  }

  repoMap(query: RankQuery, budgetTokens: number): RepoMapSlice {
    return buildRepoMap(this, this.rank({ ...query, top: Math.max(query.top ?? 30, 30) }), queryTerms(query.text), budgetTokens);
  }

  lookupSymbol(name: string, limit = 20): SymbolInfo[] {
    const exact = this.graph.definersOf(name);
    const files = exact && exact.size ? exact : this.graph.definersOfLower(name);
    const out: SymbolInfo[] = [];
    for (const id of files ?? []) {
      for (const s of this.graph.symbolsOf(id)) {
        if (s.name === name || (!exact?.size && s.name.toLowerCase() === name.toLowerCase())) out.push(publicSymbol(s));
      }
    }
    // Source before tests and declarations: the definition a reader wants first.
    out.sort((a, b) => penalty(a.path) - penalty(b.path) || a.path.localeCompare(b.path) || a.line - b.line);
    return out.slice(0, limit);
  }

  update(path: string, content: string | null): void {
    const rel = path.replace(/\\/g, '/').replace(/^\.\//, '');
    if (content === null) {
      const id = this.ids.get(rel);
      if (id === undefined) return;
      this.lexical.remove(id);
      this.graph.delete(id);
      this.dropContent(id);
      this.untrack(id, rel);
      return;
    }
    let id = this.ids.get(rel);
    if (id !== undefined && this.contents.get(id) === content) return;
    if (id === undefined) {
      id = this.nextId++;
      this.track(id, rel);
    }
    this.ingest(id, rel, content, true);
  }

  /** Reads the commits made since the last read (all of them the first time); returns how many were new. */
  refreshHistory(): Promise<number> {
    return refreshGitHistory(this.options.root, this.history);
  }

  stats(): IndexStats {
    return {
      files: this.paths.size,
      skipped: [...this.skipped],
      symbols: this.graph.symbolCount,
      edges: this.graph.edgeCount,
      approxBytes: this.approxBytes(),
      grammarWarnings: [...this.grammars.warnings],
      contentsDropped: this.contentsDropped,
      readWorkers: { ...this.readWorkers },
    };
  }

  /** A file's indexed text (unsaved buffers included), unless contents were dropped under the memory ceiling. */
  contentOf(path: string): string | undefined {
    const id = this.ids.get(path);
    return id === undefined ? undefined : this.contents.get(id);
  }

  // ---- building ----
  /**
   * Adds a file under a given id (the cold build uses walk order, so ids do not depend on I/O timing), its terms
   * already counted against `lexical.dictionary`.
   */
  addLexical(id: number, path: string, text: string, counted: CountedTerms): void {
    this.nextId = Math.max(this.nextId, id + 1);
    this.track(id, path);
    this.lexical.addCounted(id, path, counted);
    this.storeContent(id, text);
  }

  /** Symbols and imports of one file; `link` recomputes the edges that depend on it (incremental updates). */
  addSymbols(id: number, path: string, text: string, link: boolean, identifiers?: Map<string, number>): void {
    const symbols = extractSymbols(this.grammars, path, text, identifiers);
    const has = (p: string): boolean => this.ids.has(p);
    const imports: number[] = [];
    for (const spec of importSpecifiers(path, text)) {
      const target = resolveImport(path, spec, has);
      const targetId = target === undefined ? undefined : this.ids.get(target);
      if (targetId !== undefined) imports.push(targetId);
    }
    this.graph.set(id, symbols?.defs ?? [], symbols?.refs ?? new Map(), imports, link);
  }

  private ingest(id: number, path: string, text: string, link: boolean): void {
    const identifiers = countIdentifiers(text);
    this.lexical.add(id, path, text, identifiers);
    this.storeContent(id, text);
    this.addSymbols(id, path, text, link, identifiers);
  }

  private storeContent(id: number, text: string): void {
    this.dropContent(id);
    if (this.contentsDropped) return;
    this.contents.set(id, text);
    this.contentBytes += text.length * 2;
    if (this.approxBytes() > (this.options.memoryCeilingBytes ?? DEFAULT_MEMORY_CEILING)) {
      // Past the ceiling, contents go first: postings and symbols are what ranking needs.
      this.contents.clear();
      this.contentBytes = 0;
      this.contentsDropped = true;
    }
  }

  private dropContent(id: number): void {
    const old = this.contents.get(id);
    if (old !== undefined) {
      this.contentBytes -= old.length * 2;
      this.contents.delete(id);
    }
  }

  private approxBytes(): number {
    return this.lexical.approxBytes() + this.contentBytes + this.graph.symbolCount * 120;
  }
}

export async function buildWorkspaceIndex(options: IndexOptions): Promise<WorkspaceIndex> {
  const root = options.root;
  const signal = options.signal;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const gitRecency = readGitRecency(root);
  const walked = await walkWorkspace(root, {
    exclude: options.exclude,
    maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
    ...(signal ? { signal } : {}),
    onProgress: (files) => options.onProgress?.({ files, phase: 'walk' }),
  });
  const grammarsPromise = loadGrammars(options.grammarsDir ?? defaultGrammarsDir());
  const skipped = walked.skipped;
  const index = new WorkspaceIndex(options, skipped);
  const historyRead = index.refreshHistory();
  // Kept for the symbols pass, which counts identifiers itself (the read phase counts terms without them).
  const added: ([string, string] | undefined)[] = new Array(walked.files.length);
  const summary = await coldRead({
    root,
    files: walked.files,
    maxBytes,
    dictionary: index.lexical.dictionary,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(signal ? { signal } : {}),
    onFile: ({ i, text, counted }) => {
      const rel = walked.files[i]!;
      index.addLexical(i, rel, text, counted);
      added[i] = [rel, text];
    },
    onSkip: (i, reason) => skipped.push({ path: walked.files[i]!, reason }),
    onProgress: (files) => options.onProgress?.({ files, phase: 'read' }),
  });
  index.readWorkers = { started: summary.workers, failed: summary.failedWorkers, files: summary.workerFiles };

  options.onProgress?.({ files: index.fileCount, phase: 'symbols' });
  index.setGrammars(await grammarsPromise);
  let sinceYield = 0;
  for (let id = 0; id < added.length; id++) {
    const entry = added[id];
    if (!entry) continue;
    added[id] = undefined;
    const [rel, text] = entry;
    index.addSymbols(id, rel, text, false);
    // Parsing is synchronous wasm: yield now and then so cancellation and other work get a turn.
    if (++sinceYield >= 50) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
      throwIfAborted(signal);
    }
  }
  options.onProgress?.({ files: index.fileCount, phase: 'graph' });
  index.graph.computeAllEdges();
  index.gitRecency = await gitRecency;
  await historyRead;
  return index;
}

/** The lower-cased name of the directory a package entry file (index.*, __init__.py) sits in, else undefined. */
function entryDir(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.length < 2 || !/^(index\.[cm]?[jt]sx?|index\.d\.ts|__init__\.pyi?)$/i.test(parts[parts.length - 1] ?? '')) return undefined;
  return (parts[parts.length - 2] ?? '').toLowerCase();
}

function publicSymbol(s: DefinedSymbol): SymbolInfo {
  return { name: s.name, kind: s.kind, path: s.path, line: s.line, endLine: s.endLine, ...(s.container ? { container: s.container } : {}) };
}

function penalty(path: string): number {
  return /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.|\.d\.[cm]?ts$/.test(path) ? 1 : 0;
}
