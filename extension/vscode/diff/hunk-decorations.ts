// Marks each hunk on the proposed side of a review: pending ones say how to decide them, accepted ones say so. VS
// Code hides CodeLens in diff editors unless `diffEditor.codeLens` is on, so this is what most people will see. The
// short mark goes BEFORE the line's text, at column 0, so it is on screen however long the line is (text after the
// end of a long line sits off to the right); the longer how-to stays after the line, where it fits on short ones.
import * as vscode from 'vscode';
import type { HunkPosition } from './review-state.js';

/** The marks' words, pure so tests can check them. */
export function hunkMarks(h: Pick<HunkPosition, 'hunk' | 'decision'>, total: number): { before: string; after?: string } {
  if (h.decision === 'accepted') return { before: `✓ change ${h.hunk + 1} accepted ` };
  return {
    before: `● change ${h.hunk + 1} of ${total} `,
    after: 'Tiller: Accept or Reject in the title bar (Ctrl+Alt+Y / Ctrl+Alt+N)',
  };
}

export class HunkDecorations implements vscode.Disposable {
  private readonly pending = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    before: { margin: '0 1ch 0 0', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly accepted = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    before: { margin: '0 1ch 0 0', color: new vscode.ThemeColor('gitDecoration.addedResourceForeground'), fontWeight: 'bold' },
  });

  apply(editor: vscode.TextEditor, hunks: HunkPosition[], total: number): void {
    const at = (line: number): vscode.Range => {
      const l = Math.min(Math.max(line, 0), Math.max(editor.document.lineCount - 1, 0));
      return new vscode.Range(l, 0, l, 0);
    };
    const options = (h: HunkPosition): vscode.DecorationOptions => {
      const marks = hunkMarks(h, total);
      return {
        range: at(h.changeLine),
        hoverMessage:
          h.decision === 'accepted' ? `Tiller: change ${h.hunk + 1} accepted` : `Tiller: change ${h.hunk + 1} of ${total} is waiting for Accept or Reject`,
        renderOptions: { before: { contentText: marks.before }, ...(marks.after ? { after: { contentText: marks.after } } : {}) },
      };
    };
    editor.setDecorations(this.pending, hunks.filter((h) => h.decision === 'pending').map(options));
    editor.setDecorations(this.accepted, hunks.filter((h) => h.decision === 'accepted').map(options));
  }

  dispose(): void {
    this.pending.dispose();
    this.accepted.dispose();
  }
}
