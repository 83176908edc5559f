// Opening Tiller's files in the workspace: the latest trace and the project's permission rules.
import * as vscode from 'vscode';
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

const PERMISSIONS_TEMPLATE = `{
  "allow": [],
  "ask": [],
  "deny": []
}
`;

function firstFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** The newest `.jsonl` trace, for when no task ran in this window yet. Traces go to `$TILLER_HOME/traces`
 * (default ~/.tiller/traces) unless a caller chose the workspace's `.tiller/traces`. */
async function newestTrace(root: string | undefined): Promise<string | undefined> {
  const dirs = [join(process.env.TILLER_HOME || join(homedir(), '.tiller'), 'traces')];
  if (root) dirs.push(join(root, '.tiller', 'traces'));
  let best: { path: string; mtime: number } | undefined;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.jsonl')) continue;
      const path = join(dir, name);
      const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: -1 }));
      if (mtimeMs >= 0 && (!best || mtimeMs > best.mtime)) best = { path, mtime: mtimeMs };
    }
  }
  return best?.path;
}

export async function showTrace(lastTracePath: string | undefined): Promise<void> {
  const path = lastTracePath ?? (await newestTrace(firstFolder()?.fsPath));
  if (!path) {
    void vscode.window.showInformationMessage('Tiller: no trace yet. Each task writes one (under ~/.tiller/traces/).');
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true });
}

/** Opens `.tiller/permissions.json`, or drafts it from an empty rule set (nothing written until the user saves). */
export async function editPermissions(): Promise<void> {
  await openOrDraftConfig(['.tiller', 'permissions.json'], PERMISSIONS_TEMPLATE, 'project permissions live in .tiller/permissions.json');
}

/**
 * Opens a configuration file of the first folder; when it does not exist, an unsaved editor at that path holding
 * `template`, so nothing reaches disk until the user saves it.
 */
export async function openOrDraftConfig(segments: string[], template: string, whereItLives: string): Promise<void> {
  const folder = firstFolder();
  if (!folder) {
    void vscode.window.showInformationMessage(`Tiller: open a folder first; ${whereItLives}.`);
    return;
  }
  const uri = vscode.Uri.joinPath(folder, ...segments);
  try {
    await vscode.workspace.fs.stat(uri);
    await vscode.window.showTextDocument(uri);
  } catch {
    const doc = await vscode.workspace.openTextDocument(uri.with({ scheme: 'untitled' }));
    const editor = await vscode.window.showTextDocument(doc);
    if (doc.getText() === '') await editor.edit((b) => b.insert(new vscode.Position(0, 0), template));
  }
}
