// Tests that need the real `vscode` API, run inside a real extension host. Built into dist/vscode-tests.js (never part
// of extension.js) and loaded by activation only when TILLER_VSCODE_TESTS names a results file; the e2e driver
// (test/e2e/vscode-suite.e2e.ts) starts code-server with that variable and asserts on the file. A tiny runner in the
// spirit of Mocha's `test(name, fn)` with node:assert: node:test does not run inside the extension host.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkspaceEditApplier } from '../../extension/vscode/workspace-edit-applier.js';
import { InlineReviewController, PROPOSED_SCHEME } from '../../extension/vscode/diff/inline-review.js';
import { createShadowCheckpointer } from '../../extension/core/edits/checkpoints/shadow.js';
import { sha256Hex } from '../../extension/core/edits/hash.js';
import type { ChangeSet } from '../../extension/core/edits/types.js';

export interface SuiteResult {
  name: string;
  ok: boolean;
  error?: string;
}

type Case = { name: string; fn: () => Promise<void> };

function workspaceRoot(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'the suite needs a workspace folder');
  return root;
}

function twoLineDiff(path: string, before: string, after: string): string {
  return `--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-${before}\n+${after}\n`;
}

const cases: Case[] = [
  {
    name: 'every command in the manifest is registered in the extension host',
    async fn() {
      const registered = new Set(await vscode.commands.getCommands(true));
      const manifest = vscode.extensions.getExtension('tiller.tiller')?.packageJSON as { contributes: { commands: { command: string }[] } } | undefined;
      assert.ok(manifest, 'tiller.tiller is not installed');
      const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
      assert.deepEqual(missing, []);
    },
  },
  {
    name: 'the WorkspaceEdit applier writes a change set and saves it',
    async fn() {
      const root = workspaceRoot();
      const file = join(root, 'suite-apply.txt');
      writeFileSync(file, 'old\n');
      const applier = createWorkspaceEditApplier(vscode, root);
      const cs: ChangeSet = {
        id: 'a1',
        files: [
          { path: 'suite-apply.txt', baseHash: sha256Hex('old\n'), newContent: 'new\n', diff: twoLineDiff('suite-apply.txt', 'old', 'new') },
          { path: 'suite-created.txt', baseHash: null, newContent: 'made\n', diff: '' },
        ],
      };
      const result = await applier.apply(cs);
      assert.deepEqual(result, { ok: true, files: ['suite-apply.txt', 'suite-created.txt'] });
      assert.equal(readFileSync(file, 'utf8'), 'new\n');
      assert.equal(readFileSync(join(root, 'suite-created.txt'), 'utf8'), 'made\n');
    },
  },
  {
    name: 'the WorkspaceEdit applier reports a file changed on disk as a conflict and writes nothing',
    async fn() {
      const root = workspaceRoot();
      writeFileSync(join(root, 'suite-conflict.txt'), 'changed by someone\n');
      writeFileSync(join(root, 'suite-other.txt'), 'other\n');
      const applier = createWorkspaceEditApplier(vscode, root);
      const result = await applier.apply({
        id: 'c1',
        files: [
          { path: 'suite-other.txt', baseHash: sha256Hex('other\n'), newContent: 'other 2\n', diff: '' },
          { path: 'suite-conflict.txt', baseHash: sha256Hex('as proposed\n'), newContent: 'agent\n', diff: '' },
        ],
      });
      assert.equal(result.ok, false);
      if (!result.ok) assert.deepEqual(result.conflicts, ['suite-conflict.txt']);
      assert.equal(readFileSync(join(root, 'suite-other.txt'), 'utf8'), 'other\n', 'all-or-nothing: the other file is untouched');
    },
  },
  {
    name: 'unsaved edits in an open editor are a conflict, not overwritten',
    async fn() {
      const root = workspaceRoot();
      const file = join(root, 'suite-dirty.txt');
      writeFileSync(file, 'on disk\n');
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'typing '));
      assert.equal(doc.isDirty, true);
      const result = await createWorkspaceEditApplier(vscode, root).apply({
        id: 'd1',
        files: [{ path: 'suite-dirty.txt', baseHash: sha256Hex('on disk\n'), newContent: 'agent\n', diff: '' }],
      });
      assert.equal(result.ok, false);
      if (!result.ok) assert.deepEqual(result.conflicts, ['suite-dirty.txt']);
      assert.equal(doc.getText(), 'typing on disk\n', "the user's unsaved text is kept");
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  },
  {
    name: 'a CRLF file stays CRLF and its bytes are exactly the proposal',
    async fn() {
      const root = workspaceRoot();
      const file = join(root, 'suite-crlf.txt');
      writeFileSync(file, 'one\r\ntwo\r\n');
      const result = await createWorkspaceEditApplier(vscode, root).apply({
        id: 'e1',
        files: [{ path: 'suite-crlf.txt', baseHash: sha256Hex('one\r\ntwo\r\n'), newContent: 'one\r\nTWO\r\nthree\r\n', diff: '' }],
      });
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(readFileSync(file, 'utf8'), 'one\r\nTWO\r\nthree\r\n');
    },
  },
  {
    name: 'the editor review shows the proposal as a virtual document and returns the accepted hunks',
    async fn() {
      const root = workspaceRoot();
      const base = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
      writeFileSync(join(root, 'suite-review.txt'), base);
      const proposed = base.replace('b\n', 'B\n').replace('i\n', 'I\n');
      const diff = '--- a/suite-review.txt\n+++ b/suite-review.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -8,3 +8,3 @@\n h\n-i\n+I\n j\n';
      const review = new InlineReviewController(() => root);
      const disposables = review.register();
      try {
        const decision = review.openInlineReview({ id: 'r', files: [{ path: 'suite-review.txt', baseHash: sha256Hex(base), newContent: proposed, diff }] });
        await waitFor(() => review.pending.length === 1);
        const uri = review.uri(review.pending[0]!, 'suite-review.txt', 'proposed');
        assert.equal(uri.scheme, PROPOSED_SCHEME);
        assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), proposed);
        const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
        assert.ok(lenses.some((l) => l.command?.command === 'tiller.rejectHunk'), 'no Reject CodeLens on the proposed side');
        assert.equal(await review.decideHunk('rejected', { review: review.pending[0]!, path: 'suite-review.txt', hunk: 1 }), true);
        // The editor asks the provider again after the change event; wait for the document to follow.
        const doc = await vscode.workspace.openTextDocument(uri);
        await waitFor(() => doc.getText() === base.replace('b\n', 'B\n'));
        assert.equal(await review.decideAll('accepted'), true);
        const answer = await decision;
        assert.equal(answer.approved, true);
        if (answer.approved) {
          assert.equal(answer.changeSet?.files[0]?.newContent, base.replace('b\n', 'B\n'));
          assert.deepEqual(answer.rejected, [{ path: 'suite-review.txt', hunk: 2, reason: 'rejected in the editor review' }]);
        }
      } finally {
        for (const d of disposables) d.dispose();
      }
    },
  },
  {
    name: 'a checkpoint taken in the extension host restores the file byte-identically',
    async fn() {
      const root = workspaceRoot();
      writeFileSync(join(root, 'suite-checkpoint.txt'), 'before\r\n');
      const store = mkdtempSync(join(tmpdir(), 'tiller-suite-store-'));
      const checkpoints = createShadowCheckpointer(root, { storeDir: store });
      const id = await checkpoints.beforeChange({ kind: 'edit', files: ['suite-checkpoint.txt'] });
      assert.ok(id);
      writeFileSync(join(root, 'suite-checkpoint.txt'), 'after\n');
      const result = await checkpoints.restore(id);
      assert.equal(result.ok, true);
      assert.equal(readFileSync(join(root, 'suite-checkpoint.txt'), 'utf8'), 'before\r\n');
    },
  },
];

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs every case and writes `{ done, results }` to `resultsFile` atomically. */
export async function run(resultsFile: string): Promise<void> {
  const results: SuiteResult[] = [];
  for (const c of cases) {
    try {
      await c.fn();
      results.push({ name: c.name, ok: true });
    } catch (error) {
      results.push({ name: c.name, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  const temp = `${resultsFile}.tmp`;
  writeFileSync(temp, JSON.stringify({ done: true, results }, null, 2));
  renameSync(temp, resultsFile);
}
