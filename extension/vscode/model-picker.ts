// `tiller.selectModel`: offers the models the configured endpoint lists (GET {baseUrl}/models), or a free-text
// name when it lists none (many servers have no /models route), and saves the choice in the user's settings (never
// the workspace's: see config.ts).
import * as vscode from 'vscode';
import type { TillerConfig } from './config.js';
import { testConnection } from './setup-connection.js';

/** Same as config.ts's; repeated so this file does not pull the settings schema (zod) into the activation bundle. */
const SETTINGS_SECTION = 'tiller';

const LIST_TIMEOUT_MS = 5000;
const TYPE_A_NAME = '$(edit) Enter a model name…';

export async function pickModel(loadConfig: () => Promise<TillerConfig>): Promise<void> {
  const config = await loadConfig();
  let names: string[] = [];
  // Why there is no list, shown where the name is typed.
  let why: string | undefined;
  if (config.model.baseUrl) {
    const listed = await testConnection(config.model.baseUrl, config.model.apiKey, { headers: config.model.headers ?? {}, timeoutMs: LIST_TIMEOUT_MS });
    if (listed.ok) {
      names = listed.models;
      why = listed.note;
    } else {
      why = `Could not list models: ${listed.message}`;
      void vscode.window.showWarningMessage(`Tiller: ${why} Enter a name instead.`);
    }
  }
  let choice: string | undefined;
  if (names.length) {
    const current = config.model.largeModel;
    const picked = await vscode.window.showQuickPick(
      [...names.map((n) => ({ label: n, description: n === current ? 'current' : undefined })), { label: TYPE_A_NAME }],
      { title: 'Tiller: model', placeHolder: 'The model Tiller uses for its main work (tiller.model)' },
    );
    if (!picked) return;
    choice = picked.label === TYPE_A_NAME ? undefined : picked.label;
    if (choice === undefined) choice = await askName(current);
  } else {
    choice = await askName(config.model.largeModel, why);
  }
  if (!choice?.trim()) return;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('model', choice.trim(), vscode.ConfigurationTarget.Global);
}

function askName(current: string, why?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Tiller: model',
    prompt: why ? `Model name as the endpoint knows it. ${why}` : 'Model name as the endpoint knows it',
    value: current,
  });
}
