// "Tiller: Restore Checkpoint": pick one of this workspace's checkpoints (newest first, with when and what it was
// taken before), confirm, and restore. A refusal (the user committed since) is shown with its reason.
import * as vscode from 'vscode';
import type { CheckpointInfo, ShadowCheckpointer } from '../core/edits/checkpoints/types.js';

export function describeAge(createdAt: number, now: number): string {
  const s = Math.max(0, Math.round((now - createdAt) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(createdAt).toLocaleString();
}

export async function restoreCheckpointCommand(checkpoints: ShadowCheckpointer): Promise<void> {
  const all = await checkpoints.list();
  if (!all.length) {
    void vscode.window.showInformationMessage('Tiller: there are no checkpoints for this workspace yet.');
    return;
  }
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    all.map((c: CheckpointInfo) => ({
      label: c.summary,
      description: `${describeAge(c.createdAt, now)} · ${c.id.slice(0, 8)}`,
      detail: c.files?.length ? c.files.join(', ') : c.command,
      checkpoint: c,
    })),
    { title: 'Tiller: Restore Checkpoint', placeHolder: 'Files changed since the checkpoint go back to how they were then', matchOnDetail: true },
  );
  if (!picked) return;
  const confirm = await vscode.window.showWarningMessage(
    `Restore the workspace to "${picked.label}"?`,
    { modal: true, detail: 'Files changed since then are restored and files created since then are removed. A snapshot is taken first, so this can be undone from the same list.' },
    'Restore',
  );
  if (confirm !== 'Restore') return;
  const result = await checkpoints.restore(picked.checkpoint.id);
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Tiller did not restore the checkpoint: ${result.reason}`);
    return;
  }
  void vscode.window.showInformationMessage(
    `Tiller restored ${result.restored.length} file(s) and removed ${result.removed.length} created since the checkpoint.`,
  );
}
