// Activation wires things together and nothing more: no harness, model client, MCP server or zod is created or
// loaded here. They arrive with the first resolved view or the first task (see bench/activation.mjs).
import * as vscode from 'vscode';
import { DialogApprover } from './approver.js';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat-view.js';
import type { ChatController } from './chat-controller.js';
import { registerCommands } from './commands.js';
import { disposeOutputLog, outputLog } from './log.js';
import { TaskRunner } from './task-runner.js';

export function activate(context: vscode.ExtensionContext): void {
  const loadConfig = async () => (await import('./config-source.js')).loadConfig(context.secrets);

  const runner = new TaskRunner({
    isTrusted: () => vscode.workspace.isTrusted,
    workspaceRoot: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    loadConfig,
    createHarness: async (options) => (await import('../core/harness.js')).createHarness(options),
    approver: new DialogApprover(),
    distDir: context.asAbsolutePath('dist'),
    log: outputLog,
  });

  let controller: ChatController | undefined;
  const getController = async (): Promise<ChatController> => {
    if (!controller) {
      const { ChatController } = await import('./chat-controller.js');
      controller = new ChatController({
        post: (message) => view.post(message),
        runner,
        loadConfig,
        executeCommand: async (command) => vscode.commands.executeCommand(command),
        log: outputLog,
      });
    }
    return controller;
  };
  const refreshState = (): void => {
    if (view.visible) getController().then((c) => c.sendState(), (e: unknown) => outputLog.error(String(e)));
  };

  const view = new ChatViewProvider(context.extensionUri, async (message) => (await getController()).handle(message), outputLog);

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: true } }),
    ...registerCommands({
      vscode,
      context,
      newTask: async () => {
        await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
        view.post({ type: 'reset' });
      },
      stopTask: () => runner.stop(),
      lastTracePath: () => runner.lastTracePath,
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tiller')) refreshState();
    }),
    context.secrets.onDidChange((e) => {
      if (e.key === 'tiller.apiKey') refreshState();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(refreshState),
    { dispose: () => runner.stop() },
    { dispose: disposeOutputLog },
  );
}

export function deactivate(): void {
  // Everything is in context.subscriptions; a running task is aborted there and its harness closes its servers.
}
