// Review a change set in VS Code's own diff editor: the file on the left, a virtual document of the proposal on the
// right (`tiller-proposed:` scheme), Accept / Reject per hunk as CodeLens on the proposed side and as commands that act
// on the hunk at the cursor, Accept All / Reject All in the editor title. The answer has the same shape as the
// webview's review (a partial change set plus the rejected hunks), so either approver can hand an edit here.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApprovalDecision } from '../../core/ports.js';
import type { ChangeSet } from '../../core/edits/types.js';
import { selectHunks } from '../../core/edits/hunks.js';
import { ReviewState } from './review-state.js';
import { HunkDecorations } from './hunk-decorations.js';

export const PROPOSED_SCHEME = 'tiller-proposed';
/** Context key that shows Accept All / Reject All in the editor title while a review waits. */
export const REVIEWING_CONTEXT = 'tiller.reviewing';

interface Review {
  id: string;
  state: ReviewState;
  resolve(decision: ApprovalDecision): void;
}

export interface HunkTarget {
  review: string;
  path: string;
  hunk: number;
}

export class InlineReviewController implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider {
  private readonly reviews = new Map<string, Review>();
  private next = 1;
  // Created with the first review, so activation registers nothing and parses nothing for reviews nobody opens.
  private registered:
    { changed: vscode.EventEmitter<vscode.Uri>; lenses: vscode.EventEmitter<void>; decorations: HunkDecorations; disposables: vscode.Disposable[] } | undefined;

  constructor(private readonly workspaceRoot: () => string | undefined) {}

  get onDidChange(): vscode.Event<vscode.Uri> {
    return this.ensureRegistered().changed.event;
  }

  get onDidChangeCodeLenses(): vscode.Event<void> {
    return this.ensureRegistered().lenses.event;
  }

  /** Disposables for the extension's subscriptions: pending reviews are denied when the extension goes away. */
  register(): vscode.Disposable[] {
    return [
      {
        dispose: () => {
          this.cancelAll('VS Code closed the review');
          for (const d of this.registered?.disposables ?? []) d.dispose();
          this.registered = undefined;
        },
      },
    ];
  }

  private ensureRegistered(): NonNullable<InlineReviewController['registered']> {
    if (this.registered) return this.registered;
    const changed = new vscode.EventEmitter<vscode.Uri>();
    const lenses = new vscode.EventEmitter<void>();
    const decorations = new HunkDecorations();
    this.registered = { changed, lenses, decorations, disposables: [changed, lenses, decorations] };
    this.registered.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this),
      vscode.languages.registerCodeLensProvider({ scheme: PROPOSED_SCHEME }, this),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
      // The proposed document is re-read after a decision; decorate its new lines.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === PROPOSED_SCHEME) this.decorate();
      }),
    );
    return this.registered;
  }

  /** Opens one diff editor per file and resolves when every hunk is decided (or Accept All / Reject All). */
  async openInlineReview(changeSet: ChangeSet, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (signal?.aborted) return { approved: false, reason: 'the task was stopped' };
    const root = this.workspaceRoot();
    if (!root) return { approved: false, reason: 'no workspace folder is open to review the edit in' };
    const bases = new Map<string, string | null>();
    for (const f of changeSet.files) bases.set(f.path, await readFile(join(root, f.path), 'utf8').catch(() => null));
    this.ensureRegistered();
    const id = `r${this.next++}`;
    const decided = new Promise<ApprovalDecision>((resolve) => {
      this.reviews.set(id, { id, state: new ReviewState(changeSet, bases), resolve });
    });
    const onAbort = (): void => this.finish(id, { approved: false, reason: 'the task was stopped' });
    signal?.addEventListener('abort', onAbort, { once: true });
    await this.setContext();
    for (const f of changeSet.files) {
      const left = bases.get(f.path) === null ? this.uri(id, f.path, 'empty') : vscode.Uri.file(join(root, f.path));
      const title = `${f.path} ↔ Tiller's proposal`;
      await vscode.commands.executeCommand('vscode.diff', left, this.uri(id, f.path, 'proposed'), title, { preview: false });
    }
    this.decorate();
    try {
      return await decided;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Reviews waiting for an answer (ids), for tests and the palette. */
  get pending(): string[] {
    return [...this.reviews.keys()];
  }

  async decideHunk(decision: 'accepted' | 'rejected', target?: HunkTarget): Promise<boolean> {
    const t = target ?? this.targetAtCursor();
    const review = t && this.reviews.get(t.review);
    if (!t || !review || !review.state.decide(t.path, t.hunk, decision)) return false;
    await this.afterChange(review);
    return true;
  }

  async decideAll(decision: 'accepted' | 'rejected', reviewId?: string): Promise<boolean> {
    const review = this.reviews.get(reviewId ?? this.activeReviewId() ?? this.pending.at(-1) ?? '');
    if (!review) return false;
    review.state.decideRest(decision);
    await this.afterChange(review);
    return true;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const parsed = this.parse(uri);
    if (!parsed || parsed.side === 'empty') return '';
    return this.reviews.get(parsed.review)?.state.proposedText(parsed.path) ?? '';
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = this.parse(document.uri);
    const review = parsed && this.reviews.get(parsed.review);
    if (!parsed || !review || parsed.side !== 'proposed') return [];
    return review.state.hunkLines(parsed.path).flatMap(({ hunk, changeLine, decision }) => {
      const range = new vscode.Range(changeLine, 0, changeLine, 0);
      const target: HunkTarget = { review: review.id, path: parsed.path, hunk };
      if (decision === 'accepted') return [new vscode.CodeLens(range, { title: '$(check) Accepted', command: '' })];
      return [
        new vscode.CodeLens(range, { title: '$(check) Accept', command: 'tiller.acceptHunk', arguments: [target] }),
        new vscode.CodeLens(range, { title: '$(close) Reject', command: 'tiller.rejectHunk', arguments: [target] }),
      ];
    });
  }

  /** Marks the hunks in every visible proposed document. */
  private decorate(): void {
    const decorations = this.registered?.decorations;
    if (!decorations) return;
    for (const editor of vscode.window.visibleTextEditors) {
      const parsed = this.parse(editor.document.uri);
      const review = parsed && this.reviews.get(parsed.review);
      if (!parsed || !review || parsed.side !== 'proposed') continue;
      decorations.apply(editor, review.state.hunkLines(parsed.path), review.state.file(parsed.path)?.decisions.length ?? 0);
    }
  }

  private async afterChange(review: Review): Promise<void> {
    const { changed, lenses } = this.ensureRegistered();
    for (const f of review.state.files) changed.fire(this.uri(review.id, f.change.path, 'proposed'));
    lenses.fire();
    this.decorate();
    if (review.state.complete) await this.complete(review);
  }

  private async complete(review: Review): Promise<void> {
    const { state } = review;
    let decision: ApprovalDecision;
    try {
      const result = await selectHunks(state.changeSet, state.selection(), async (p) => state.file(p)?.base ?? null, 'rejected in the editor review');
      if (result.complete) decision = { approved: true, scope: 'once' };
      else if (!result.changeSet) decision = { approved: false, reason: 'the user rejected every change in the editor review' };
      else decision = { approved: true, scope: 'once', changeSet: result.changeSet, rejected: result.rejected };
    } catch (error) {
      decision = { approved: false, reason: `the accepted part could not be applied: ${(error as Error).message}` };
    }
    this.finish(review.id, decision);
  }

  private finish(id: string, decision: ApprovalDecision): void {
    const review = this.reviews.get(id);
    if (!review) return;
    this.reviews.delete(id);
    review.resolve(decision);
    void this.setContext();
    void this.closeTabs(id);
  }

  private cancelAll(reason: string): void {
    for (const id of this.pending) this.finish(id, { approved: false, reason });
  }

  private async closeTabs(id: string): Promise<void> {
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && this.parse(t.input.modified)?.review === id);
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }

  private setContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT, this.reviews.size > 0);
  }

  private activeReviewId(): string | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri ? this.parse(uri)?.review : undefined;
  }

  /** The hunk under the cursor of the active proposed document. */
  private targetAtCursor(): HunkTarget | undefined {
    const editor = vscode.window.activeTextEditor;
    const parsed = editor && this.parse(editor.document.uri);
    const review = parsed && this.reviews.get(parsed.review);
    if (!editor || !parsed || !review) return undefined;
    const hunk = review.state.hunkAt(parsed.path, editor.selection.active.line);
    return hunk === undefined ? undefined : { review: review.id, path: parsed.path, hunk };
  }

  uri(review: string, path: string, side: 'proposed' | 'empty'): vscode.Uri {
    return vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${review}/${path}`, query: side });
  }

  private parse(uri: vscode.Uri): { review: string; path: string; side: 'proposed' | 'empty' } | undefined {
    if (uri.scheme !== PROPOSED_SCHEME) return undefined;
    const m = /^\/([^/]+)\/(.+)$/.exec(uri.path);
    if (!m) return undefined;
    return { review: m[1]!, path: m[2]!, side: uri.query === 'empty' ? 'empty' : 'proposed' };
  }
}
