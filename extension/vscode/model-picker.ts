// `tiller.selectModel`: offers the models the configured endpoint lists (GET {baseUrl}/models), or a free-text
// name when it lists none, and saves the choice in the user's settings (never the workspace's: see config.ts).
import * as vscode from 'vscode';
import type { TillerConfig } from './config.js';

/** Same as config.ts's; repeated so this file does not pull the settings schema (zod) into the activation bundle. */
const SETTINGS_SECTION = 'tiller';

const LIST_TIMEOUT_MS = 5000;
const TYPE_A_NAME = '$(edit) Enter a model name…';

async function listModels(baseUrl: string, apiKey: string | undefined, headers: Record<string, string>): Promise<string[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const response = await fetch(url, {
    headers: { ...headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    signal: AbortSignal.timeout(LIST_TIMEOUT_MS),
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const body = (await response.json()) as { data?: unknown };
  if (!Array.isArray(body.data)) return [];
  return body.data
    .map((m: unknown) => (typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length < 200)
    .sort();
}

export async function pickModel(loadConfig: () => Promise<TillerConfig>): Promise<void> {
  const config = await loadConfig();
  let names: string[] = [];
  if (config.model.baseUrl) {
    try {
      names = await listModels(config.model.baseUrl, config.model.apiKey, config.model.headers ?? {});
    } catch (error) {
      void vscode.window.showWarningMessage(
        `Tiller: could not list models (${error instanceof Error ? error.message : String(error)}); enter a name instead.`,
      );
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
    choice = await askName(config.model.largeModel);
  }
  if (!choice?.trim()) return;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('model', choice.trim(), vscode.ConfigurationTarget.Global);
}

function askName(current: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: 'Tiller: model', prompt: 'Model name as the endpoint knows it', value: current });
}
