// Owns the index's life in the server: the cold build runs in the background once the client is initialized, edits
// that arrive meanwhile are queued and applied when it ends (latest content per path wins), and ranked requests wait
// for it with their cancellation token. One place that knows whether the index exists yet.
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import type { IndexOptions, WorkspaceIndexApi } from '../core/context/index/types.js';
import type { IndexProgress, StatsResult } from './protocol.js';

export type BuildIndex = (options: IndexOptions) => Promise<WorkspaceIndexApi>;

export class IndexHost {
  private index: WorkspaceIndexApi | undefined;
  private failure: string | undefined;
  private progress: IndexProgress = { phase: 'waiting', files: 0 };
  private readonly pending = new Map<string, string | null>();
  private readonly abort = new AbortController();
  private readonly settled: Promise<void>;
  private settle!: () => void;

  constructor(
    private readonly build: BuildIndex,
    private readonly onProgress: (progress: IndexProgress) => void,
    private readonly onError: (message: string) => void,
  ) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
  }

  /** Starts the cold build; a second call does nothing. */
  start(options: Omit<IndexOptions, 'signal' | 'onProgress'>): void {
    if (this.progress.phase !== 'waiting') return;
    this.report({ phase: 'walk', files: 0 });
    this.build({
      ...options,
      signal: this.abort.signal,
      onProgress: (p) => this.report({ phase: p.phase, files: p.files }),
    }).then(
      (index) => {
        for (const [path, content] of this.pending) this.applySafely(index, path, content);
        this.pending.clear();
        this.index = index;
        this.report({ phase: 'ready', files: index.stats().files });
        this.settle();
      },
      (error: unknown) => {
        this.failure = this.abort.signal.aborted ? 'the server is shutting down' : `indexing failed: ${messageOf(error)}`;
        this.pending.clear();
        this.onError(this.failure);
        this.report({ phase: 'failed', files: this.progress.files });
        this.settle();
      },
    );
  }

  /** A file's new content (an unsaved buffer or a change on disk), or null when it is gone. */
  update(path: string, content: string | null): void {
    if (this.index) this.applySafely(this.index, path, content);
    // After a failed build there is no index to catch up: keeping edits would only grow memory.
    else if (!this.failure) this.pending.set(path, content);
  }

  /** The built index; waits for the build, rejecting with RequestCancelled when the request is cancelled meanwhile. */
  async ready(token: CancellationToken): Promise<WorkspaceIndexApi> {
    // A token cancelled before the handler ran is vscode-jsonrpc's shared Cancelled token, whose event never fires.
    if (!this.index && !this.failure && !token.isCancellationRequested) {
      let dispose: (() => void) | undefined;
      const cancelled = new Promise<void>((resolve) => {
        dispose = token.onCancellationRequested(() => resolve()).dispose;
      });
      await Promise.race([this.settled, cancelled]);
      dispose?.();
    }
    // Let a $/cancelRequest that is already queued behind this request be read before the (synchronous) index work.
    await new Promise((resolve) => setImmediate(resolve));
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
    if (this.index) return this.index;
    throw new ResponseError(ErrorCodes.InternalError, this.failure ?? 'the index is not built');
  }

  /** Whether the cold build is over (built or failed): edits then go straight to the index or nowhere. */
  get building(): boolean {
    return this.index === undefined && this.failure === undefined;
  }

  stats(): StatsResult {
    return {
      ready: this.index !== undefined,
      ...(this.failure ? { error: this.failure } : {}),
      progress: this.progress,
      ...(this.index ? { index: this.index.stats() } : {}),
    };
  }

  dispose(): void {
    this.abort.abort();
  }

  private report(progress: IndexProgress): void {
    this.progress = progress;
    this.onProgress(progress);
  }

  private applySafely(index: WorkspaceIndexApi, path: string, content: string | null): void {
    try {
      index.update(path, content);
    } catch (error) {
      this.onError(`updating ${path} in the index failed: ${messageOf(error)}`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
