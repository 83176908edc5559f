// Every command Tiller contributes, as one table of ids and handler factories. This module only type-imports
// `vscode` (the API arrives in `CommandServices`) and loads each handler's implementation when it first runs, so the
// manifest test can import the table in plain Node and activation stays cheap.
import type * as vscode from 'vscode';
import type { TillerConfig } from './config.js';

export interface CommandServices {
  vscode: typeof vscode;
  context: vscode.ExtensionContext;
  loadConfig(): Promise<TillerConfig>;
  /** Clears the chat transcript and focuses the view. */
  newTask(): Promise<void>;
  /** Cancels the running task; false when none was running. */
  stopTask(): boolean;
  lastTracePath(): string | undefined;
}

export interface CommandEntry {
  id: string;
  create(services: CommandServices): (...args: unknown[]) => Promise<void>;
}

export const commandTable: readonly CommandEntry[] = [
  {
    id: 'tiller.newTask',
    create: (s) => () => s.newTask(),
  },
  {
    id: 'tiller.stop',
    create: (s) => async () => {
      if (!s.stopTask()) void s.vscode.window.showInformationMessage('Tiller: no task is running.');
    },
  },
  {
    id: 'tiller.setApiKey',
    create: (s) => async () => (await import('./secrets.js')).promptForApiKey(s.context.secrets),
  },
  {
    id: 'tiller.selectModel',
    create: (s) => async () => (await import('./model-picker.js')).pickModel(s.loadConfig),
  },
  {
    id: 'tiller.showTrace',
    create: (s) => async () => (await import('./workspace-files.js')).showTrace(s.lastTracePath()),
  },
  {
    id: 'tiller.editPermissions',
    create: () => async () => (await import('./workspace-files.js')).editPermissions(),
  },
  {
    id: 'tiller.openSettings',
    create: (s) => async () => {
      await s.vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${s.context.extension.id}`);
    },
  },
];

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  return commandTable.map((entry) => services.vscode.commands.registerCommand(entry.id, entry.create(services)));
}
