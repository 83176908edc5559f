// Activation wires things together and nothing more: no harness, model client, MCP server or zod is created or even
// parsed here. The view's services load when the view opens, the harness when a task runs (deferred.ts), and
// bench/activation.mjs keeps the cost of this file in check.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { DialogApprover } from './approver.js';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat-view.js';
import type { ChatController } from './chat-controller.js';
import { registerCommands } from './commands.js';
import { taskServices, viewServices } from './deferred.js';
import { disposeOutputLog, outputLog } from './log.js';
import { API_KEY_SECRET } from './secrets.js';
import { TaskRunner } from './task-runner.js';
import { chatWiring } from './chat-wiring.js';
import { createWorkspaceEditApplier } from './workspace-edit-applier.js';
import { InlineReviewController } from './diff/inline-review.js';
import { EditorReviewApprover } from './diff/editor-approver.js';
import type { ShadowCheckpointer } from '../core/edits/checkpoints/types.js';
import type { ContextClient } from './context-client.js';
import { vscodeElicitor } from './mcp-elicitor.js';
import { editorMentions, TerminalCapture } from './editor-mentions.js';
import { McpServersFeature } from './mcp-servers-feature.js';
import { createDiagnosticsAfterEdits, type DiagnosticsAfterEdits } from './diagnostics-after-edits.js';
import { TasksFeature } from './tasks-view.js';

export function activate(context: vscode.ExtensionContext): void {
  const loadConfig = () => viewServices().loadConfig(context.secrets);
  const workspaceRoot = (): string | undefined => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // The editor's diff review; any approver can hand it an edit (inlineReview.openInlineReview).
  const inlineReview = new InlineReviewController(workspaceRoot);
  let checkpoints: { root: string; store: ShadowCheckpointer } | undefined;

  // Approval cards in the chat view while it is showing; the modal dialog otherwise.
  const chat = chatWiring(
    context,
    {
      post: (m) => view.post(m),
      get visible() {
        return view.visible;
      },
    },
    loadConfig,
    new EditorReviewApprover(new DialogApprover(), inlineReview),
  );

  // The context server (workspace index) starts with the first task that asks for a repo slice, never at activation.
  let contextClient: ContextClient | undefined;
  const repoContext = (): { repoContext: ContextClient } | Record<string, never> => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    // The index is for the first folder: when that changed, a server for the new one replaces the old.
    if (contextClient && contextClient.folder.uri.toString() !== folder?.uri.toString()) stopContextClient();
    if (!folder) return {};
    contextClient ??= new (taskServices().ContextClient)({ serverModule: context.asAbsolutePath('dist/context-server.js'), folder });
    return { repoContext: contextClient };
  };
  const stopContextClient = (): void => {
    contextClient?.dispose();
    contextClient = undefined;
  };

  // @terminal: output of commands run in VS Code terminals from now on (shell integration).
  const terminalCapture = new TerminalCapture();
  context.subscriptions.push(...terminalCapture.watch(vscode.window));
  // MCP servers' forms and OAuth sign-in: answered in the editor; tokens kept in SecretStorage, never in settings.
  const mcpInteraction = {
    elicitor: vscodeElicitor(vscode.window),
    mcpAuth: {
      secrets: {
        get: async (key: string) => context.secrets.get(key),
        set: async (key: string, value: string) => context.secrets.store(key, value),
        delete: async (key: string) => context.secrets.delete(key),
      },
      openExternal: async (url: string) => {
        await vscode.env.openExternal(vscode.Uri.parse(url));
      },
    },
  };
  // The MCP servers view: each task's host reports its servers' state there; stop and restart act on it.
  const mcpServers = new McpServersFeature({
    workspaceRoot,
    distDir: context.asAbsolutePath('dist'),
    ripgrepPath: () => vscodeRipgrep(vscode.env.appRoot),
    log: outputLog,
  });
  // Diagnostics after edits: one per workspace root, shared by the task's edit applier (which snapshots before) and
  // the harness's change observers (which report what is new after).
  let diagnostics: { root: string; watch: DiagnosticsAfterEdits } | undefined;
  const diagnosticsFor = (root: string): DiagnosticsAfterEdits => {
    if (diagnostics?.root !== root) diagnostics = { root, watch: createDiagnosticsAfterEdits(vscode, root, outputLog) };
    return diagnostics.watch;
  };
  // The Tasks view: worktree tasks, each its own CLI process with its own harness (tasks-view.ts).
  const tasks = new TasksFeature({
    tillerHome: () => process.env.TILLER_HOME || join(homedir(), '.tiller'),
    workspaceRoot: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    distDir: context.asAbsolutePath('dist'),
    loadConfig,
  });
  const runner = new TaskRunner({
    isTrusted: () => vscode.workspace.isTrusted,
    workspaceRoot: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    loadConfig,
    createHarness: async (options) =>
      mcpServers.track(
        await taskServices().createHarness(options, {
          ...repoContext(),
          ...mcpInteraction,
          editorMentions: editorMentions(vscode, options.workspaceRoot, terminalCapture),
          onMcpServersChanged: (servers) => mcpServers.model.update(servers),
          changeObservers: [diagnosticsFor(options.workspaceRoot).observer],
        }),
      ),
    approver: chat.approver,
    distDir: context.asAbsolutePath('dist'),
    ripgrepPath: () => vscodeRipgrep(vscode.env.appRoot),
    log: outputLog,
    editApplier: (root) => diagnosticsFor(root).wrap(createWorkspaceEditApplier(vscode, root)),
    checkpoints: true,
    mcpServers: (root) => taskServices().configuredMcpServers(root, (m) => outputLog.warn(m), mcpServers.model),
    askConsent: (request) => taskServices().askWorkspaceConsent(request),
    // A slash command's ${input:name}, asked as VS Code asks for a prompt file's input variables.
    askInput: async (input) =>
      vscode.window.showInputBox({
        title: `/${input.command}`,
        prompt: `\${input:${input.name}}`,
        placeHolder: input.placeholder ?? input.name,
        ignoreFocusOut: true,
      }),
    // Commands run in the OS sandbox; tiller.approvals "sandboxed" lets it replace the question (core/sandbox).
    sandbox: (root, config) =>
      taskServices().sandboxSetup({
        workspace: root,
        env: process.env,
        userRules: config.userRules,
        allowPaths: config.sandboxAllowPaths ?? [],
        sandboxedApprovals: config.approvals === 'sandboxed',
      }),
    userChecks: (raw) => taskServices().parseUserChecks(raw, 'tiller.checks'),
  });

  let controller: ChatController | undefined;
  const getController = (): ChatController => {
    controller ??= new (viewServices().ChatController)({
      post: (message) => view.post(message),
      runner,
      loadConfig,
      isTrusted: () => vscode.workspace.isTrusted,
      executeCommand: async (command) => vscode.commands.executeCommand(command),
      log: outputLog,
      priceKnown: () => runner.lastPriceKnown,
      ...chat.controllerDeps(
        () => runner.lastTracePath,
        () => runner.lastContextInspection,
        () => runner.knownResources,
      ),
    });
    return controller;
  };
  const refreshState = (): void => {
    if (view.resolved)
      getController()
        .sendState()
        .catch((e: unknown) => outputLog.error(String(e)));
  };

  const view = new ChatViewProvider(
    context.extensionUri,
    (raw) => viewServices().parseWebviewMessage(raw),
    (message) => getController().handle(message),
    outputLog,
  );

  context.subscriptions.push(
    { dispose: stopContextClient },
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: true } }),
    ...inlineReview.register(),
    ...mcpServers.register(),
    ...tasks.register(),
    ...registerCommands({
      vscode,
      context,
      loadConfig,
      inlineReview,
      sendTask: async (task) => {
        // The view sends it like a typed task, so it shows in the transcript and can be stopped there.
        await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
        view.post({ type: 'submitTask', task });
      },
      checkpoints: async () => {
        const root = workspaceRoot();
        if (!root) return undefined;
        if (checkpoints?.root !== root) {
          const services = taskServices();
          checkpoints = { root, store: services.createShadowCheckpointer(root, { storeDir: services.defaultCheckpointStore() }) };
        }
        return checkpoints.store;
      },
      openContextInspector: async () => {
        await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
        view.post({ type: 'showPanel', panel: 'context' });
      },
      showTracePanel: async () => {
        await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
        view.post({ type: 'showPanel', panel: 'trace' });
      },
      chatNotice: (message) => chat.notice(message),
      newTask: async () => {
        await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
        if (view.resolved) getController().newSession();
        view.post({ type: 'reset' });
      },
      stopTask: () => runner.stop(),
      lastTracePath: () => runner.lastTracePath,
      mcpServers,
      tasks,
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tiller')) refreshState();
    }),
    context.secrets.onDidChange((e) => {
      if (e.key === API_KEY_SECRET) refreshState();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(refreshState),
    { dispose: () => runner.stop() },
  );
  runInHostTestsWhenAsked();
  context.subscriptions.push({ dispose: disposeOutputLog });
}

export function deactivate(): void {
  // Everything is in context.subscriptions: a running task is aborted there and its harness closes its servers.
}

/**
 * With TILLER_VSCODE_TESTS=<results file> (set only by the e2e driver), run the in-extension-host suite from its own
 * bundle, dist/vscode-tests.js, which the .vsix does not ship.
 */
function runInHostTestsWhenAsked(): void {
  const results = process.env.TILLER_VSCODE_TESTS;
  if (!results) return;
  const bundle = join(__dirname, 'vscode-tests.js');
  if (!existsSync(bundle)) {
    outputLog.error(`TILLER_VSCODE_TESTS is set but ${bundle} is missing`);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const suite = require(bundle) as { run(resultsFile: string): Promise<void> };
  suite.run(results).catch((e: unknown) => outputLog.error(`the in-host test suite failed to run: ${String(e)}`));
}

/** VS Code ships ripgrep in its app root (unpacked from the asar on desktop); use it rather than download one. */
function vscodeRipgrep(appRoot: string): string | undefined {
  const name = process.platform === 'win32' ? 'rg.exe' : 'rg';
  return ['node_modules/@vscode/ripgrep/bin', 'node_modules.asar.unpacked/@vscode/ripgrep/bin']
    .map((dir) => join(appRoot, dir, name))
    .find((p) => existsSync(p));
}
