// Reads the live settings, the stored key and the environment into a TillerConfig.
import * as vscode from 'vscode';
import { readSettings, resolveConfig, SETTINGS_SECTION, type TillerConfig } from './config.js';
import { readApiKey } from './secrets.js';

export async function loadConfig(secrets: vscode.SecretStorage): Promise<TillerConfig> {
  const settings = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION));
  return resolveConfig(settings, await readApiKey(secrets), process.env);
}
