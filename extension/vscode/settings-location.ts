// Where Tiller's settings live and how to land on them. Nearly all of them are machine-scoped (config.ts reads them
// from the user's settings only), and when the window is remote (code-server, SSH, containers) VS Code keeps
// machine-scoped settings in the *remote* user settings: the Settings editor's User tab hides them, so opening the
// local one showed 2 of 12. Only type-imports `vscode` (the API arrives as an argument), so it is tested with fakes.
import type * as vscode from 'vscode';

type Api = Pick<typeof vscode, 'commands' | 'env'>;

/** The remote's name when the extension host is remote (code-server too), where machine-scoped settings live. */
function remote(api: Api): string | undefined {
  return api.env.remoteName;
}

/** Where the user-scoped Tiller settings are, in the words of the Settings editor's tabs. */
export function userSettingsLabel(api: Api): string {
  const name = remote(api);
  return name === undefined ? 'User settings' : `Remote user settings (${name})`;
}

/** The Settings editor on the tab that holds Tiller's settings, filtered to them. */
export async function openTillerSettings(api: Api, extensionId: string): Promise<void> {
  const query = `@ext:${extensionId}`;
  if (remote(api) === undefined) await api.commands.executeCommand('workbench.action.openSettings', query);
  else await api.commands.executeCommand('workbench.action.openRemoteSettings', { query });
}

/** The settings.json that holds `key` (the remote one when remote), scrolled to it. */
export async function openUserSettingsJson(api: Api, key: string): Promise<void> {
  const options = { revealSetting: { key } };
  if (remote(api) === undefined) await api.commands.executeCommand('workbench.action.openSettingsJson', options);
  else await api.commands.executeCommand('workbench.action.openRemoteSettingsFile', options);
}
