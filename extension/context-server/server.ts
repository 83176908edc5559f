// The context server's wiring: LSP lifecycle, document sync and file watching feed the index; the custom requests of
// protocol.ts read it. Takes its connection and index builder as arguments so tests can run it in-process with a fake
// index, and main.ts runs it over stdio or IPC with the real one.
import {
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import type { RankQuery } from '../core/context/index/types.js';
import { DiskFiles } from './disk-files.js';
import { IndexHost, type BuildIndex } from './index-host.js';
import { relativePathOf, uriOf } from './paths.js';
import {
  INDEX_PROGRESS_METHOD,
  initializationOptionsSchema,
  RANK_METHOD,
  rankParamsSchema,
  REPO_MAP_METHOD,
  repoMapParamsSchema,
  STATS_METHOD,
  SYMBOL_METHOD,
  symbolParamsSchema,
  type IndexProgress,
  type InitializationOptions,
  type RankParams,
  type RankResult,
  type RepoMapResult,
  type StatsResult,
  type SymbolResult,
} from './protocol.js';
import { RULES_FILE, ruleFileDiagnostics } from './rule-diagnostics.js';
import { parseParams } from './validate.js';

export interface ContextServerDeps {
  buildIndex: BuildIndex;
}

/** Progress notifications are sent on each phase change and then every this many files, not per file. */
const PROGRESS_STEP = 500;

interface Workspace {
  root: string;
  options: InitializationOptions;
  disk: DiskFiles;
}

export function startContextServer(connection: Connection, deps: ContextServerDeps): void {
  const documents = new TextDocuments(TextDocument);
  let workspace: Workspace | undefined;
  let watchRegistration = false;
  let lastProgress: IndexProgress | undefined;
  const log = (message: string): void => connection.console.warn(message);

  const host = new IndexHost(
    deps.buildIndex,
    (progress) => {
      if (lastProgress?.phase === progress.phase && progress.files - lastProgress.files < PROGRESS_STEP) return;
      lastProgress = progress;
      void connection.sendNotification(INDEX_PROGRESS_METHOD, progress);
    },
    log,
  );

  connection.onInitialize((params): InitializeResult => {
    const options = parseParams(initializationOptionsSchema, params.initializationOptions, 'initialize.initializationOptions');
    const root = workspaceRoot(params);
    if (root) {
      const disk = new DiskFiles(root, options.exclude ?? [], options.maxFileBytes, (pattern, reason) =>
        log(`exclude glob ${JSON.stringify(pattern)} ignored: ${reason}`),
      );
      workspace = { root, options, disk };
    }
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
      serverInfo: { name: 'tiller-context' },
    };
  });

  // The build starts here rather than in `initialize` so that the client is ready for progress notifications and
  // the watcher registration, and so a client can still configure the server between the two messages.
  connection.onInitialized(() => {
    if (!workspace) return;
    if (watchRegistration) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] })
        .catch((error: unknown) => log(`could not register the file watcher: ${String(error)}`));
    }
    const { root, options } = workspace;
    host.start({
      root,
      ...(options.exclude ? { exclude: options.exclude } : {}),
      ...(options.memoryCeilingBytes ? { memoryCeilingBytes: options.memoryCeilingBytes } : {}),
      ...(options.maxFiles ? { maxFiles: options.maxFiles } : {}),
      ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
      ...(options.grammarsDir ? { grammarsDir: options.grammarsDir } : {}),
    });
    void publishRulesFromDisk(workspace);
  });

  documents.onDidChangeContent(({ document }) => {
    const rel = workspace && relativePathOf(workspace.root, document.uri);
    if (!workspace || rel === undefined) return;
    if (rel === RULES_FILE) publishRules(workspace, document.getText());
    if (!workspace.disk.isExcluded(rel)) host.update(rel, document.getText());
  });

  // A closed buffer's unsaved edits are discarded by the editor: the index goes back to what is on disk.
  documents.onDidClose(({ document }) => {
    const rel = workspace && relativePathOf(workspace.root, document.uri);
    if (!workspace || rel === undefined) return;
    void refreshFromDisk(workspace, rel);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (!workspace) return;
    for (const change of changes) {
      const rel = relativePathOf(workspace.root, change.uri);
      // An open buffer is newer than the disk as far as the user is concerned.
      if (rel === undefined || documents.get(change.uri)) continue;
      if (change.type === FileChangeType.Deleted) {
        if (rel === RULES_FILE) publishRules(workspace, undefined);
        if (!workspace.disk.isExcluded(rel)) host.update(rel, null);
      } else {
        void refreshFromDisk(workspace, rel);
      }
    }
  });

  connection.onRequest(RANK_METHOD, async (raw: unknown, token: CancellationToken): Promise<RankResult> => {
    const params = parseParams(rankParamsSchema, raw, RANK_METHOD);
    const index = await host.ready(requireWorkspaceToken(token));
    return index.rank(rankQuery(params));
  });

  connection.onRequest(REPO_MAP_METHOD, async (raw: unknown, token: CancellationToken): Promise<RepoMapResult> => {
    const params = parseParams(repoMapParamsSchema, raw, REPO_MAP_METHOD);
    const index = await host.ready(requireWorkspaceToken(token));
    return index.repoMap(rankQuery(params), params.budgetTokens);
  });

  connection.onRequest(SYMBOL_METHOD, async (raw: unknown, token: CancellationToken): Promise<SymbolResult> => {
    const params = parseParams(symbolParamsSchema, raw, SYMBOL_METHOD);
    const index = await host.ready(requireWorkspaceToken(token));
    return index.lookupSymbol(params.name, params.limit);
  });

  connection.onRequest(STATS_METHOD, (): StatsResult => host.stats());

  connection.onShutdown(() => host.dispose());

  function requireWorkspaceToken(token: CancellationToken): CancellationToken {
    if (!workspace) throw new ResponseError(ErrorCodes.InvalidRequest, 'no workspace folder: the client sent none in initialize');
    return token;
  }

  async function refreshFromDisk(ws: Workspace, rel: string): Promise<void> {
    const read = await ws.disk.read(rel);
    // The file may have been opened while it was read; the buffer then wins.
    if (documents.get(uriOf(ws.root, rel))) return;
    if (rel === RULES_FILE) publishRules(ws, read.kind === 'content' ? read.content : undefined);
    if (read.kind === 'content') host.update(rel, read.content);
    else if (read.kind === 'removed') host.update(rel, null);
  }

  async function publishRulesFromDisk(ws: Workspace): Promise<void> {
    const read = await ws.disk.read(RULES_FILE);
    if (read.kind === 'content' && !documents.get(uriOf(ws.root, RULES_FILE))) publishRules(ws, read.content);
  }

  function publishRules(ws: Workspace, text: string | undefined): void {
    void connection.sendDiagnostics({ uri: uriOf(ws.root, RULES_FILE), diagnostics: text === undefined ? [] : ruleFileDiagnostics(text) });
  }

  documents.listen(connection);
  connection.listen();
}

function rankQuery(params: RankParams | { query: string; signals?: RankParams['signals'] }): RankQuery {
  return { text: params.query, ...('top' in params && params.top !== undefined ? { top: params.top } : {}), ...params.signals };
}

/** The first workspace folder is indexed (multi-root workspaces: the others are not, yet). */
function workspaceRoot(params: InitializeParams): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  if (!uri || !uri.startsWith('file:')) return undefined;
  return fileURLToPath(uri);
}
