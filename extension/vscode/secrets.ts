// The API key lives in VS Code's SecretStorage (the OS keychain), never in settings where it could be committed or
// synced in plain text.
import * as vscode from 'vscode';

export const API_KEY_SECRET = 'tiller.apiKey';

export async function readApiKey(secrets: vscode.SecretStorage): Promise<string | undefined> {
  return (await secrets.get(API_KEY_SECRET)) || undefined;
}

/** Asks for the key (masked). An empty answer removes the stored key; Escape changes nothing. */
export async function promptForApiKey(secrets: vscode.SecretStorage): Promise<void> {
  const hadKey = (await readApiKey(secrets)) !== undefined;
  const value = await vscode.window.showInputBox({
    title: 'Tiller: API key',
    prompt: hadKey
      ? 'Enter a new API key for your OpenAI-compatible endpoint, or leave empty to remove the stored key.'
      : 'Enter the API key for your OpenAI-compatible endpoint (stored in the OS keychain).',
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return;
  const key = value.trim();
  if (!key) {
    if (hadKey) {
      await secrets.delete(API_KEY_SECRET);
      void vscode.window.showInformationMessage('Tiller: API key removed.');
    }
    return;
  }
  await secrets.store(API_KEY_SECRET, key);
  void vscode.window.showInformationMessage('Tiller: API key saved.');
}
