// The client side of the context server's tests: a plain LSP protocol connection (the same library the VS Code client
// is built on) that records what the server sends, so tests await notifications instead of sleeping.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import {
  createProtocolConnection,
  RegistrationRequest,
  ResponseError,
  type MessageReader,
  type MessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { INDEX_PROGRESS_METHOD, STATS_METHOD, type IndexProgress, type StatsResult } from '../../../extension/context-server/protocol.js';

type Waiter<T> = { match: (value: T) => boolean; resolve: (value: T) => void };

export class LspTestClient {
  readonly connection: ProtocolConnection;
  readonly progress: IndexProgress[] = [];
  readonly registrations: Registration[] = [];
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly progressWaiters: Waiter<IndexProgress>[] = [];
  private readonly diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private versions = new Map<string, number>();

  constructor(reader: MessageReader, writer: MessageWriter) {
    this.connection = createProtocolConnection(reader, writer);
    this.connection.onNotification(INDEX_PROGRESS_METHOD, (p: IndexProgress) => {
      this.progress.push(p);
      notify(this.progressWaiters, p);
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      notify(this.diagnosticWaiters, p);
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
    this.connection.onNotification('window/logMessage', () => {});
    this.connection.listen();
  }

  async initialize(root: string, initializationOptions?: unknown, sendInitialized = true): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: null,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      ...(initializationOptions !== undefined ? { initializationOptions } : {}),
    });
    if (sendInitialized) await this.connection.sendNotification('initialized', {});
  }

  /** Resolves when the index is built (from the progress notification, or at once if it already was). */
  async ready(): Promise<void> {
    const done = this.nextProgress((p) => p.phase === 'ready' || p.phase === 'failed');
    const stats = await this.connection.sendRequest<StatsResult>(STATS_METHOD);
    if (stats.ready) return;
    const last = await done;
    if (last.phase === 'failed') throw new Error('the index build failed');
  }

  nextProgress(match: (p: IndexProgress) => boolean): Promise<IndexProgress> {
    const seen = this.progress.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.progressWaiters.push({ match, resolve }));
  }

  nextDiagnostics(uri: string, match: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => this.diagnosticWaiters.push({ match: (p) => p.uri === uri && match(p), resolve }));
  }

  async open(uri: string, text: string, languageId = 'typescript'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
}

export function fileUri(root: string, rel: string): string {
  return pathToFileURL(join(root, rel)).href;
}

function notify<T>(waiters: Waiter<T>[], value: T): void {
  for (const w of [...waiters]) {
    if (w.match(value)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(value);
    }
  }
}

/** Polls `probe` until it returns a value (for effects of notifications, which have no reply to await). */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, attempts = 200): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The ResponseError a request fails with; fails the test if it succeeds or fails some other way. */
export async function requestFailure(promise: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}
