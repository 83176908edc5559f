// Marks each hunk on the proposed side of a review: pending ones say how to decide them, accepted ones say so. VS
// Code hides CodeLens in diff editors unless `diffEditor.codeLens` is on, so this is what most people will see.
import * as vscode from 'vscode';
import type { HunkPosition } from './review-state.js';

export class HunkDecorations implements vscode.Disposable {
  private readonly pending = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly accepted = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('gitDecoration.addedResourceForeground') },
  });

  apply(editor: vscode.TextEditor, hunks: HunkPosition[], total: number): void {
    const at = (line: number): vscode.Range => {
      const l = Math.min(Math.max(line, 0), Math.max(editor.document.lineCount - 1, 0));
      return new vscode.Range(l, 0, l, 0);
    };
    editor.setDecorations(
      this.pending,
      hunks
        .filter((h) => h.decision === 'pending')
        .map((h) => ({ range: at(h.changeLine), renderOptions: { after: { contentText: `Tiller: change ${h.hunk + 1} of ${total} — Accept or Reject in the title bar (Ctrl+Alt+Y / Ctrl+Alt+N)` } } })),
    );
    editor.setDecorations(
      this.accepted,
      hunks.filter((h) => h.decision === 'accepted').map((h) => ({ range: at(h.changeLine), renderOptions: { after: { contentText: `✓ change ${h.hunk + 1} accepted` } } })),
    );
  }

  dispose(): void {
    this.pending.dispose();
    this.accepted.dispose();
  }
}
