// The workspace index's contract, shared by the context server (LSP, in VS Code), the CLI (in-process), context
// assembly and the benchmarks. Paths are workspace-relative with forward slashes.

export interface IndexOptions {
  root: string;
  /** Globs (minimatch, relative to root) excluded beyond .gitignore: VS Code's `files.exclude` and the like. */
  exclude?: string[];
  /** Stop indexing after this many files (the rest are reported as skipped). Default 200,000. */
  maxFiles?: number;
  /** Files larger than this are skipped with a reason. Default 1 MiB. */
  maxFileBytes?: number;
  /** Approximate ceiling for the index's memory; past it, contents are dropped (paths and symbols kept). */
  memoryCeilingBytes?: number;
  /** Where grammar .wasm files are; defaults to the ones shipped beside the bundle. */
  grammarsDir?: string;
  /**
   * Worker threads that read and tokenise beside the main thread during a cold build. Default: one fewer than the
   * cores for trees of 2,000 files or more, none below. 0 keeps everything on the calling thread.
   */
  workers?: number;
  signal?: AbortSignal;
  /** Progress for long cold builds. */
  onProgress?: (p: { files: number; phase: 'walk' | 'read' | 'symbols' | 'graph' }) => void;
}

export type SkipReason = 'binary' | 'too_large' | 'minified' | 'not_utf8' | 'ignored' | 'budget' | 'unreadable' | 'symlink_loop';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
}

export interface SymbolInfo {
  name: string;
  kind: 'function' | 'class' | 'method' | 'interface' | 'type' | 'variable' | 'constant' | 'enum' | 'module' | 'other';
  path: string;
  /** 1-based. */
  line: number;
  endLine: number;
  /** Containing symbol, e.g. the class of a method. */
  container?: string;
}

/** Signals from the editor that raise a file's rank; all optional (the CLI has none of them). */
export interface RankSignals {
  openFiles?: string[];
  activeFile?: string;
  recentEdits?: string[];
  diagnostics?: { path: string; line: number; message: string; severity: 'error' | 'warning' }[];
}

export interface RankQuery extends RankSignals {
  text: string;
  /** Files to return. Default 10. */
  top?: number;
}

export interface RankedSymbol {
  name: string;
  kind: SymbolInfo['kind'];
  line: number;
  reasons: string[];
}

export interface RankedFile {
  path: string;
  score: number;
  /** Why this file was chosen, one short phrase per signal: `path matches "utc"`, `defines parseDate (named in the query)`, `pagerank 0.012`, ... */
  reasons: string[];
  symbols: RankedSymbol[];
}

export interface RepoMapSlice {
  /** Text for the prompt: files with their most relevant symbol signatures. */
  text: string;
  tokens: number;
  files: { path: string; tokens: number; reasons: string[] }[];
}

export interface IndexStats {
  files: number;
  skipped: SkippedFile[];
  symbols: number;
  edges: number;
  approxBytes: number;
  /** Grammars that failed to load: ranking for those languages is lexical only. */
  grammarWarnings: string[];
  /** True once the memory ceiling was passed and file contents were dropped (postings and symbols are kept). */
  contentsDropped?: boolean;
  /** Worker threads that read beside the main thread in the cold build, how many failed part-way, and their files. */
  readWorkers?: { started: number; failed: number; files: number };
}

export interface WorkspaceIndexApi {
  rank(query: RankQuery): RankedFile[];
  repoMap(query: RankQuery, budgetTokens: number): RepoMapSlice;
  lookupSymbol(name: string, limit?: number): SymbolInfo[];
  /** Incremental: a file's new content (unsaved buffers included), or null when deleted. */
  update(path: string, content: string | null): void;
  stats(): IndexStats;
}
