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

/** `note` puts a line in the chat, so the transcript says the workspace went back (the model's view of it did not). */
function files(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}

/** "Restored the checkpoint "before editing a.ts" (2 min ago): 2 files restored, 1 file created since then removed." */
export function restoredLine(summary: string, restored: number, removed: number, age: string): string {
  const parts = [`${files(restored)} restored`, ...(removed ? [`${files(removed)} created since then removed`] : [])];
  return `Restored the checkpoint "${summary}" (${age}): ${parts.join(', ')}.`;
}

export async function restoreCheckpointCommand(checkpoints: ShadowCheckpointer, note?: (line: string) => void): Promise<void> {
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
    {
      modal: true,
      detail:
        'Files changed since then are restored and files created since then are removed. A snapshot is taken first, so this can be undone from the same list.',
    },
    'Restore',
  );
  if (confirm !== 'Restore') return;
  const result = await checkpoints.restore(picked.checkpoint.id);
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Tiller did not restore the checkpoint: ${result.reason}`);
    return;
  }
  const line = restoredLine(picked.label, result.restored.length, result.removed.length, describeAge(picked.checkpoint.createdAt, now));
  note?.(line);
  void vscode.window.showInformationMessage(`Tiller: ${line}`);
}
