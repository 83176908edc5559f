// Every command Tiller contributes, as one table of ids and handler factories. This module only type-imports
// `vscode` (the API arrives in `CommandServices`) and loads each handler's implementation when it first runs, so the
// manifest test can import the table in plain Node and activation stays cheap.
import type * as vscode from 'vscode';
import type { TillerConfig } from './config.js';
import type { ShadowCheckpointer } from '../core/edits/checkpoints/types.js';
import type { HunkTarget } from './diff/inline-review.js';
import type { McpServersCommands } from './mcp-servers-feature.js';
import { taskServices } from './deferred.js';
import type { TasksCommands } from './tasks-view.js';

/** The slice of the editor review (diff/inline-review.ts) the commands drive. */
export interface InlineReviewCommands {
  decideHunk(decision: 'accepted' | 'rejected', target?: HunkTarget): Promise<boolean>;
  decideAll(decision: 'accepted' | 'rejected'): Promise<boolean>;
}

export interface CommandServices {
  vscode: typeof vscode;
  context: vscode.ExtensionContext;
  loadConfig(): Promise<TillerConfig>;
  /** Clears the chat transcript and focuses the view. */
  newTask(): Promise<void>;
  /** Cancels the running task; false when none was running. */
  stopTask(): boolean;
  lastTracePath(): string | undefined;
  /** Sends a task to the chat view, which runs and shows it. */
  sendTask(task: string): Promise<void>;
  inlineReview: InlineReviewCommands;
  /** This workspace's checkpoints; undefined when no folder is open. */
  checkpoints(): Promise<ShadowCheckpointer | undefined>;
  /** Shows the context inspector (the last prompt's items) in the chat view. */
  openContextInspector(): Promise<void>;
  /** The MCP servers view's actions. */
  mcpServers: McpServersCommands;
  /** The Tasks view's actions (worktree tasks). */
  tasks: TasksCommands;
  /** Shows the last task's trace as the chat view's table (steps, tokens, cost, latency, decisions). */
  showTracePanel(): Promise<void>;
  /** A line in the chat (and its session) about something done outside a task. */
  chatNotice(message: string): void;
}

const NO_REVIEW = 'Tiller: no change is waiting for review in the editor.';

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
    // The readable table, as the view's button shows it; the raw JSONL stays a click away from there.
    create: (s) => () => s.showTracePanel(),
  },
  {
    id: 'tiller.editPermissions',
    create: () => async () => (await import('./workspace-files.js')).editPermissions(),
  },
  {
    id: 'tiller.askAboutSelection',
    create: (s) => async () => (await import('./editor-commands.js')).runSelectionCommand('ask', s.sendTask),
  },
  {
    id: 'tiller.explainSelection',
    create: (s) => async () => (await import('./editor-commands.js')).runSelectionCommand('explain', s.sendTask),
  },
  {
    id: 'tiller.fixSelection',
    create: (s) => async () => (await import('./editor-commands.js')).runSelectionCommand('fix', s.sendTask),
  },
  {
    id: 'tiller.testSelection',
    create: (s) => async () => (await import('./editor-commands.js')).runSelectionCommand('test', s.sendTask),
  },
  {
    id: 'tiller.fixProblems',
    create: (s) => async () => (await import('./editor-commands.js')).fixProblemsInFile(s.sendTask),
  },
  {
    id: 'tiller.acceptHunk',
    create: (s) => async (target) => {
      if (!(await s.inlineReview.decideHunk('accepted', asHunkTarget(target)))) void s.vscode.window.showInformationMessage(NO_REVIEW);
    },
  },
  {
    id: 'tiller.rejectHunk',
    create: (s) => async (target) => {
      if (!(await s.inlineReview.decideHunk('rejected', asHunkTarget(target)))) void s.vscode.window.showInformationMessage(NO_REVIEW);
    },
  },
  {
    id: 'tiller.acceptAll',
    create: (s) => async () => {
      if (!(await s.inlineReview.decideAll('accepted'))) void s.vscode.window.showInformationMessage(NO_REVIEW);
    },
  },
  {
    id: 'tiller.rejectAll',
    create: (s) => async () => {
      if (!(await s.inlineReview.decideAll('rejected'))) void s.vscode.window.showInformationMessage(NO_REVIEW);
    },
  },
  {
    id: 'tiller.restoreCheckpoint',
    create: (s) => async () => {
      const checkpoints = await s.checkpoints();
      if (!checkpoints) {
        void s.vscode.window.showInformationMessage('Tiller: open a folder first; checkpoints belong to a workspace.');
        return;
      }
      await (await import('./checkpoint-restore.js')).restoreCheckpointCommand(checkpoints, (line) => s.chatNotice(line));
    },
  },
  {
    id: 'tiller.openContextInspector',
    create: (s) => () => s.openContextInspector(),
  },
  {
    id: 'tiller.manageMcpServers',
    create: (s) => () => s.mcpServers.focus(),
  },
  {
    id: 'tiller.restartMcpServer',
    create: (s) => (server) => s.mcpServers.restart(server),
  },
  {
    id: 'tiller.stopMcpServer',
    create: (s) => (server) => s.mcpServers.stop(server),
  },
  {
    id: 'tiller.openMcpServerConfig',
    create: (s) => (server) => s.mcpServers.openConfig(server),
  },
  {
    id: 'tiller.refreshMcpServers',
    create: (s) => () => s.mcpServers.refresh(),
  },
  {
    id: 'tiller.addMcpServer',
    create: (s) => () => s.mcpServers.add(),
  },
  { id: 'tiller.newTaskInWorktree', create: (s) => () => s.tasks.newInWorktree() },
  { id: 'tiller.openTaskTranscript', create: (s) => (task) => s.tasks.openTranscript(task) },
  { id: 'tiller.stopWorktreeTask', create: (s) => (task) => s.tasks.stop(task) },
  { id: 'tiller.reviewWorktreeTask', create: (s) => (task) => s.tasks.review(task) },
  { id: 'tiller.keepTaskBranch', create: (s) => (task) => s.tasks.keepBranch(task) },
  { id: 'tiller.discardWorktreeTask', create: (s) => (task) => s.tasks.discard(task) },
  {
    id: 'tiller.writeCommitMessage',
    // Through the task bundle: the model client (and zod) must not load at activation (test/unit/vscode/bundle.test.ts).
    create: (s) => async (arg) => taskServices().writeCommitMessageCommand(s.loadConfig, arg),
  },
  {
    id: 'tiller.openSettings',
    create: (s) => async () => (await import('./settings-location.js')).openTillerSettings(s.vscode, s.context.extension.id),
  },
];

/** A CodeLens passes its target; from the palette there is none (the hunk at the cursor is used). */
function asHunkTarget(value: unknown): HunkTarget | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.review !== 'string' || typeof v.path !== 'string' || typeof v.hunk !== 'number') return undefined;
  return { review: v.review, path: v.path, hunk: v.hunk };
}

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  return commandTable.map((entry) => services.vscode.commands.registerCommand(entry.id, entry.create(services)));
}
