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
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { RankQuery } from '../core/context/index/types.js';
import { DiskFiles, type FileRead } from './disk-files.js';
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
  /** How long typing must pause before a buffer is re-indexed; TYPING_PAUSE_MS by default. */
  typingPauseMs?: number;
}

/** Progress notifications are sent on each phase change and then every this many files, not per file. */
const PROGRESS_STEP = 500;
const MAX_RULES_BYTES = 1024 * 1024;
/** Edits to a buffer reach the index after this long without another (or at once when a ranked request comes). */
const TYPING_PAUSE_MS = 250;

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
  const generations = new Map<string, number>();
  const changedDuringBuild = new Set<string>();
  /** Edits still being checked (a .gitignore read, a file read): ranked requests wait for them, so they see every
   *  edit the client sent before them. */
  const inFlight = new Set<Promise<void>>();
  /**
   * Buffers edited since the index last saw them. Typing re-indexes a file once per pause rather than per keystroke
   * (a parse per key in a large file adds up); a ranked request flushes them first, so it still sees every edit.
   */
  const typing = new Map<string, TextDocument>();
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const flushTyping = (): void => {
    clearTimeout(typingTimer);
    typingTimer = undefined;
    const ws = workspace;
    if (!ws) return;
    for (const [rel, document] of typing) {
      const text = document.getText();
      void feed(rel, () => ws.disk.buffer(rel, text));
    }
    typing.clear();
  };
  const indexAfterEdits = async (token: CancellationToken) => {
    flushTyping();
    while (inFlight.size) await Promise.all(inFlight);
    return host.ready(requireWorkspaceToken(token));
  };
  const log = (message: string): void => tell(() => connection.console.warn(message));

  const host = new IndexHost(
    deps.buildIndex,
    (progress) => {
      // A grammar that did not load leaves its language with lexical ranking only: say so once, in the server's log.
      if (progress.phase === 'ready') {
        for (const warning of host.stats().index?.grammarWarnings ?? []) log(warning);
        const ws = workspace;
        if (ws) for (const rel of changedDuringBuild) void refreshFromDisk(ws, rel);
        changedDuringBuild.clear();
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
    const ws = workspace;
    const rel = ws && relativePathOf(ws.root, document.uri);
    if (!ws || rel === undefined) return;
    if (rel === RULES_FILE) publishRules(ws, document.getText());
    typing.set(rel, document);
    typingTimer ??= setTimeout(flushTyping, deps.typingPauseMs ?? TYPING_PAUSE_MS);
  });

  // A closed buffer's unsaved edits are discarded by the editor: the index goes back to what is on disk.
  documents.onDidClose(({ document }) => {
    const rel = workspace && relativePathOf(workspace.root, document.uri);
    if (!workspace || rel === undefined) return;
    typing.delete(rel);
    void refreshFromDisk(workspace, rel);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (!workspace) return;
    for (const change of changes) {
      const rel = relativePathOf(workspace.root, change.uri);
      // An open buffer is newer than the disk as far as the user is concerned.
      if (rel === undefined) continue;
      workspace.disk.noteChanged(rel);
      if (documents.get(change.uri)) continue;
      if (change.type === FileChangeType.Deleted) {
        if (rel === RULES_FILE) publishRules(workspace, undefined);
        const ws = workspace;
        void feed(rel, async () => ((await ws.disk.admits(rel)) ? { kind: 'removed' } : { kind: 'ignored' }));
      } else {
        void refreshFromDisk(workspace, rel);
      }
    }
  });

  connection.onRequest(RANK_METHOD, async (raw: unknown, token: CancellationToken): Promise<RankResult> => {
    const params = parseParams(rankParamsSchema, raw, RANK_METHOD);
    const index = await indexAfterEdits(token);
    return index.rank(rankQuery(params));
  });

  connection.onRequest(REPO_MAP_METHOD, async (raw: unknown, token: CancellationToken): Promise<RepoMapResult> => {
    const params = parseParams(repoMapParamsSchema, raw, REPO_MAP_METHOD);
    const index = await indexAfterEdits(token);
    return index.repoMap(rankQuery(params), params.budgetTokens);
  });

  connection.onRequest(SYMBOL_METHOD, async (raw: unknown, token: CancellationToken): Promise<SymbolResult> => {
    const params = parseParams(symbolParamsSchema, raw, SYMBOL_METHOD);
    const index = await indexAfterEdits(token);
    return index.lookupSymbol(params.name, params.limit);
  });

  connection.onRequest(STATS_METHOD, (): StatsResult => host.stats());

  connection.onShutdown(() => {
    clearTimeout(typingTimer);
    host.dispose();
  });

  function requireWorkspaceToken(token: CancellationToken): CancellationToken {
    if (!workspace) throw new ResponseError(ErrorCodes.InvalidRequest, 'no workspace folder: the client sent none in initialize');
    return token;
  }

  async function refreshFromDisk(ws: Workspace, rel: string): Promise<void> {
    if (rel === RULES_FILE) void publishRulesFromDisk(ws);
    // During the build only the path is remembered, and read once it is over: a package install while a large
    // workspace indexes must not hold thousands of file contents in memory.
    if (host.building) {
      changedDuringBuild.add(rel);
      return;
    }
    await feed(rel, () => ws.disk.read(rel), () => documents.get(uriOf(ws.root, rel)) !== undefined);
  }

  /**
   * Applies one file's new state once it is known. Reads are asynchronous, so a newer event for the same path may
   * finish first: only the latest one is applied. `superseded` drops a disk read when the file was opened meanwhile.
   */
  function feed(rel: string, produce: () => Promise<FileRead>, superseded: () => boolean = () => false): Promise<void> {
    const done = applyLatest(rel, produce, superseded)
      .catch((error: unknown) => log(`${rel} could not be checked for the index: ${String(error)}`))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
    return done;
  }

  async function applyLatest(rel: string, produce: () => Promise<FileRead>, superseded: () => boolean): Promise<void> {
    const mine = (generations.get(rel) ?? 0) + 1;
    generations.set(rel, mine);
    const read = await produce();
    if (generations.get(rel) !== mine) return;
    generations.delete(rel);
    if (superseded()) return;
    if (read.kind === 'content') host.update(rel, read.content);
    else if (read.kind === 'removed') host.update(rel, null);
  }

  async function publishRulesFromDisk(ws: Workspace): Promise<void> {
    let text: string | undefined;
    const file = path.join(ws.root, ...RULES_FILE.split('/'));
    try {
      // A hostile repository may make it a link to /dev/zero or a huge file: regular and small only.
      const info = await stat(file);
      text = info.isFile() && info.size <= MAX_RULES_BYTES ? await readFile(file, 'utf8') : undefined;
    } catch {
      text = undefined;
    }
    if (!documents.get(uriOf(ws.root, RULES_FILE))) publishRules(ws, text);
  }

  function publishRules(ws: Workspace, text: string | undefined): void {
    const diagnostics = text === undefined ? [] : ruleFileDiagnostics(text);
    tell(() => connection.sendDiagnostics({ uri: uriOf(ws.root, RULES_FILE), diagnostics }));
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
