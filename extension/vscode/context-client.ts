// The extension's side of the context server: a vscode-languageclient that starts dist/context-server.js on the
// first request (never at activation), keeps it fed with open documents, and answers the harness's RepoContext port.
// Restarts after a crash and request cancellation are the library's. Kept thin: the mapping from editor state to
// rank signals is in context-signals.ts, the messages in context-server/protocol.ts.
import * as vscode from 'vscode';
import { CancellationTokenSource, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { RankQuery, RankSignals, RankedFile, RepoMapSlice, SymbolInfo } from '../core/context/index/types.js';
import type { RepoContext } from '../core/context/ports.js';
import {
  RANK_METHOD,
  REPO_MAP_METHOD,
  STATS_METHOD,
  SYMBOL_METHOD,
  type InitializationOptions,
  type RankParams,
  type RepoMapParams,
  type StatsResult,
  type SymbolParams,
} from '../context-server/protocol.js';
import { excludeGlobs, RecentEdits, rankSignals, type EditorState } from './context-signals.js';

/** The index drops file contents past this (paths and symbols stay): a large monorepo must not eat the machine. */
const MEMORY_CEILING_BYTES = 512 * 1024 * 1024;
/**
 * How long a task's opening waits for a cold index before going on without the repo slice (the request is then
 * cancelled; the build carries on and the next task gets it). A first task in a huge repository must not hang.
 */
const DEFAULT_WAIT_MS = 15_000;

export interface ContextClientOptions {
  /** Absolute path of dist/context-server.js. */
  serverModule: string;
  folder: vscode.WorkspaceFolder;
  waitMs?: number;
}

export class ContextClient implements RepoContext, vscode.Disposable {
  private client: Promise<LanguageClient> | undefined;
  private readonly recent = new RecentEdits();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly options: ContextClientOptions) {}

  get folder(): vscode.WorkspaceFolder {
    return this.options.folder;
  }

  async rank(query: RankQuery): Promise<RankedFile[]> {
    const params: RankParams = { query: query.text, signals: this.signals(query), ...(query.top ? { top: query.top } : {}) };
    return this.request<RankedFile[]>(RANK_METHOD, params);
  }

  async repoMap(query: RankQuery, budgetTokens: number): Promise<RepoMapSlice> {
    const params: RepoMapParams = { query: query.text, budgetTokens: Math.max(1, Math.floor(budgetTokens)), signals: this.signals(query) };
    return this.request<RepoMapSlice>(REPO_MAP_METHOD, params);
  }

  async symbol(name: string, limit?: number): Promise<SymbolInfo[]> {
    const params: SymbolParams = { name, ...(limit ? { limit } : {}) };
    return this.request<SymbolInfo[]>(SYMBOL_METHOD, params);
  }

  async stats(): Promise<StatsResult> {
    return (await this.started()).sendRequest<StatsResult>(STATS_METHOD);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    const client = this.client;
    this.client = undefined;
    void client?.then((c) => c.stop()).catch(() => {});
  }

  private async request<R>(method: string, params: object): Promise<R> {
    const client = await this.started();
    const cancel = new CancellationTokenSource();
    const timer = setTimeout(() => cancel.cancel(), this.options.waitMs ?? DEFAULT_WAIT_MS);
    try {
      return await client.sendRequest<R>(method, params, cancel.token);
    } catch (error) {
      if (cancel.token.isCancellationRequested) throw new Error('the workspace index is still being built; try again shortly');
      throw error;
    } finally {
      clearTimeout(timer);
      cancel.dispose();
    }
  }

  private started(): Promise<LanguageClient> {
    this.client ??= this.start();
    return this.client;
  }

  private async start(): Promise<LanguageClient> {
    const module = this.options.serverModule;
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc },
    };
    const files = vscode.workspace.getConfiguration('files', this.options.folder.uri);
    const search = vscode.workspace.getConfiguration('search', this.options.folder.uri);
    const initializationOptions: InitializationOptions = {
      exclude: excludeGlobs(files.get<Record<string, unknown>>('exclude'), search.get<Record<string, unknown>>('exclude')),
      memoryCeilingBytes: MEMORY_CEILING_BYTES,
    };
    const clientOptions: LanguageClientOptions = {
      // Every file buffer, whatever its language: unsaved edits must reach the index.
      documentSelector: [{ scheme: 'file' }],
      workspaceFolder: this.options.folder,
      initializationOptions,
    };
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === 'file' && e.contentChanges.length) this.recent.touch(e.document.uri.fsPath);
      }),
    );
    const client = new LanguageClient('tiller.context', 'Tiller Context', serverOptions, clientOptions);
    await client.start();
    return client;
  }

  /** Editor signals read now, under the ones the caller passed explicitly (the caller knows its task). */
  private signals(query: RankQuery): RankSignals {
    const editor = rankSignals(this.options.folder.uri.fsPath, this.editorState());
    const own: RankSignals = {};
    if (query.openFiles) own.openFiles = query.openFiles;
    if (query.activeFile) own.activeFile = query.activeFile;
    if (query.recentEdits) own.recentEdits = query.recentEdits;
    if (query.diagnostics) own.diagnostics = query.diagnostics;
    return { ...editor, ...own };
  }

  private editorState(): EditorState {
    const fileOf = (uri: vscode.Uri): string | undefined => (uri.scheme === 'file' ? uri.fsPath : undefined);
    const defined = (xs: Array<string | undefined>): string[] => xs.filter((x): x is string => x !== undefined);
    const active = vscode.window.activeTextEditor && fileOf(vscode.window.activeTextEditor.document.uri);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputText ? fileOf(t.input.uri) : undefined));
    return {
      ...(active ? { activeFile: active } : {}),
      visibleFiles: defined(vscode.window.visibleTextEditors.map((e) => fileOf(e.document.uri))),
      openFiles: defined(tabs),
      recentEdits: this.recent.list(),
      diagnostics: vscode.languages.getDiagnostics().flatMap(([uri, problems]) => {
        const file = fileOf(uri);
        if (!file) return [];
        return [[file, problems.map((p) => ({ line: p.range.start.line, message: p.message, severity: p.severity }))] as const];
      }),
    };
  }
}
