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
import { EditFeed } from './edit-feed.js';
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
import { readRulesFile, RULES_FILE, ruleFileDiagnostics } from './rule-diagnostics.js';
import { SETTINGS_FILES, settingsFileDiagnostics } from './settings-diagnostics.js';
import { parseParams } from './validate.js';
import { isWorkflowPath, WorkflowDiagnostics } from './workflow-diagnostics.js';

export interface ContextServerDeps {
  buildIndex: BuildIndex;
  /** How long typing must pause before a buffer is re-indexed; TYPING_PAUSE_MS by default. */
  typingPauseMs?: number;
}

/** Progress notifications are sent on each phase change and then every this many files, not per file. */
const PROGRESS_STEP = 500;
/** Edits to a buffer reach the index after this long without another (or at once when a ranked request comes). */
const TYPING_PAUSE_MS = 250;

interface Workspace {
  root: string;
  options: InitializationOptions;
  feed: EditFeed;
}

export function startContextServer(connection: Connection, deps: ContextServerDeps): void {
  const documents = new TextDocuments(TextDocument);
  let workspace: Workspace | undefined;
  let watchRegistration = false;
  let lastProgress: IndexProgress | undefined;
  const log = (message: string): void => tell(() => connection.console.warn(message));
  const workflows = new WorkflowDiagnostics((uri, diagnostics) => tell(() => connection.sendDiagnostics({ uri, diagnostics })));
  const refreshWorkflows = (root: string): void => {
    try {
      workflows.refresh(root);
    } catch (error) {
      log(`slash command and agent files could not be checked: ${String(error)}`);
    }
  };

  const host = new IndexHost(
    deps.buildIndex,
    (progress) => {
      if (progress.phase === 'ready') {
        // A grammar that did not load leaves its language with lexical ranking only: say so once, in the log.
        for (const warning of host.stats().index?.grammarWarnings ?? []) log(warning);
        workspace?.feed.buildEnded();
      }
      if (lastProgress?.phase === progress.phase && progress.files - lastProgress.files < PROGRESS_STEP) return;
      lastProgress = progress;
      tell(() => connection.sendNotification(INDEX_PROGRESS_METHOD, progress));
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
      const isOpen = (rel: string): boolean => documents.get(uriOf(root, rel)) !== undefined;
      const feed = new EditFeed({ host, disk, isOpen, log, typingPauseMs: deps.typingPauseMs ?? TYPING_PAUSE_MS });
      workspace = { root, options, feed };
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
    void publishRulesFromDisk(root);
    for (const rel of SETTINGS_FILES) void publishSettingsFromDisk(root, rel);
    refreshWorkflows(root);
  });

  documents.onDidChangeContent(({ document }) => {
    const rel = workspace && relativePathOf(workspace.root, document.uri);
    if (!workspace || rel === undefined) return;
    if (rel === RULES_FILE) publishRules(workspace.root, document.getText());
    if (SETTINGS_FILES.includes(rel)) publishSettings(workspace.root, rel, document.getText());
    workspace.feed.typed(rel, document);
  });

  documents.onDidClose(({ document }) => {
    const rel = workspace && relativePathOf(workspace.root, document.uri);
    if (!workspace || rel === undefined) return;
    if (rel === RULES_FILE) void publishRulesFromDisk(workspace.root);
    if (SETTINGS_FILES.includes(rel)) void publishSettingsFromDisk(workspace.root, rel);
    workspace.feed.closed(rel);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (!workspace) return;
    // Workflow files are checked from disk (the harness reads them from disk too): on save, create and delete.
    if (changes.some((c) => isWorkflowPath(relativePathOf(workspace!.root, c.uri) ?? ''))) refreshWorkflows(workspace.root);
    for (const change of changes) {
      const rel = relativePathOf(workspace.root, change.uri);
      if (rel === undefined) continue;
      if (rel === RULES_FILE) void publishRulesFromDisk(workspace.root);
      if (SETTINGS_FILES.includes(rel)) void publishSettingsFromDisk(workspace.root, rel);
      if (change.type === FileChangeType.Deleted) workspace.feed.deletedOnDisk(rel);
      else workspace.feed.changedOnDisk(rel);
    }
  });

  /** The index once it is built and has every edit the client sent before this request. */
  const indexFor = async (token: CancellationToken) => {
    if (!workspace) throw new ResponseError(ErrorCodes.InvalidRequest, 'no workspace folder: the client sent none in initialize');
    await workspace.feed.settled();
    return host.ready(token);
  };

  connection.onRequest(RANK_METHOD, async (raw: unknown, token: CancellationToken): Promise<RankResult> => {
    const params = parseParams(rankParamsSchema, raw, RANK_METHOD);
    return (await indexFor(token)).rank(rankQuery(params));
  });

  connection.onRequest(REPO_MAP_METHOD, async (raw: unknown, token: CancellationToken): Promise<RepoMapResult> => {
    const params = parseParams(repoMapParamsSchema, raw, REPO_MAP_METHOD);
    return (await indexFor(token)).repoMap(rankQuery(params), params.budgetTokens);
  });

  connection.onRequest(SYMBOL_METHOD, async (raw: unknown, token: CancellationToken): Promise<SymbolResult> => {
    const params = parseParams(symbolParamsSchema, raw, SYMBOL_METHOD);
    return (await indexFor(token)).lookupSymbol(params.name, params.limit);
  });

  connection.onRequest(STATS_METHOD, (): StatsResult => host.stats());

  connection.onShutdown(() => {
    workspace?.feed.dispose();
    host.dispose();
  });

  /** An open rules file is published from its buffer; a closed one from the disk. */
  async function publishRulesFromDisk(root: string): Promise<void> {
    const text = await readRulesFile(root);
    if (!documents.get(uriOf(root, RULES_FILE))) publishRules(root, text);
  }

  function publishRules(root: string, text: string | undefined): void {
    const diagnostics = text === undefined ? [] : ruleFileDiagnostics(text);
    tell(() => connection.sendDiagnostics({ uri: uriOf(root, RULES_FILE), diagnostics }));
  }

  async function publishSettingsFromDisk(root: string, rel: string): Promise<void> {
    const text = await readRulesFile(root, rel);
    if (!documents.get(uriOf(root, rel))) publishSettings(root, rel, text);
  }

  function publishSettings(root: string, rel: string, text: string | undefined): void {
    const diagnostics = text === undefined ? [] : settingsFileDiagnostics(rel, text);
    tell(() => connection.sendDiagnostics({ uri: uriOf(root, rel), diagnostics }));
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

/**
 * Sends a notification that may outlive the connection (a file read finishing after shutdown): a closed or disposed
 * connection throws or rejects, and there is nobody left to tell.
 */
function tell(send: () => Promise<void> | void): void {
  try {
    void Promise.resolve(send()).catch(() => {});
  } catch {
    // The connection is gone.
  }
}
