// The "Tasks" tree in the Tiller container: every worktree task (core/worktrees) with its state, steps, cost, elapsed
// time and files changed, read from the task records under $TILLER_HOME/worktrees (so tasks started from the CLI show
// too). Each task runs as its own process with its own harness, budget, trace and checkpoints: New Task in Worktree
// starts the bundled CLI in a terminal of its own, where its approvals are answered. Review shows the whole diff
// against the merge base and applies it all-or-nothing with the conflict check; Keep branch and Discard clean up.
import * as vscode from 'vscode';
import type { TillerConfig } from './config.js';
import { taskServices, type TaskServices } from './deferred.js';
import type { TaskRecord } from '../core/worktrees/record.js';
import { noticesBetween, taskRow, type TaskRow, type TaskViewState } from './tasks-model.js';

export const TASKS_VIEW_ID = 'tiller.tasks';
const POLL_MS = 1500;

export interface TasksCommands {
  newInWorktree(): Promise<void>;
  openTranscript(id?: unknown): Promise<void>;
  stop(id?: unknown): Promise<void>;
  review(id?: unknown): Promise<void>;
  keepBranch(id?: unknown): Promise<void>;
  discard(id?: unknown): Promise<void>;
}

export interface TasksFeatureOptions {
  tillerHome(): string;
  workspaceRoot(): string | undefined;
  distDir: string;
  loadConfig(): Promise<TillerConfig>;
}

type Worktrees = TaskServices['worktrees'];

export class TasksFeature implements TasksCommands, vscode.TreeDataProvider<TaskRow> {
  private readonly emitter = new vscode.EventEmitter<TaskRow | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private rows: TaskRow[] = [];
  private records = new Map<string, TaskRecord>();
  private states = new Map<string, TaskViewState>();
  private timer: NodeJS.Timeout | undefined;
  private core: Worktrees | undefined;

  constructor(private readonly options: TasksFeatureOptions) {}

  private async worktrees(): Promise<Worktrees> {
    // Through the task bundle: the worktree core (git, storage) must not load at activation (bundle.test.ts).
    this.core ??= taskServices().worktrees;
    return Promise.resolve(this.core);
  }

  register(): vscode.Disposable[] {
    const view = vscode.window.createTreeView(TASKS_VIEW_ID, { treeDataProvider: this });
    const poll = (): void => void this.refresh();
    this.timer = setInterval(poll, POLL_MS);
    poll();
    return [view, { dispose: () => clearInterval(this.timer) }];
  }

  async refresh(): Promise<void> {
    const core = await this.worktrees();
    const records = core.listTaskRecords(this.options.tillerHome()).filter((r) => r.state !== 'discarded');
    const now = Date.now();
    const rows = records.map((r) => taskRow(r, now, core.pidAlive)).reverse();
    for (const n of noticesBetween(this.states, rows)) {
      if (n.kind === 'waiting') void vscode.window.showWarningMessage(n.message, 'Show').then((a) => (a ? this.showTerminal(n.id) : undefined));
      else void vscode.window.showInformationMessage(n.message, 'Review').then((a) => (a ? this.review(n.id) : undefined));
    }
    this.states = new Map(rows.map((r) => [r.id, r.state]));
    this.records = new Map(records.map((r) => [r.id, r]));
    const changed = JSON.stringify(rows) !== JSON.stringify(this.rows);
    this.rows = rows;
    if (changed) this.emitter.fire(undefined);
  }

  getChildren(row?: TaskRow): TaskRow[] {
    return row ? [] : this.rows;
  }

  getTreeItem(row: TaskRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.contextValue = row.contextValue;
    item.iconPath = icon(row.state);
    item.command = { command: 'tiller.openTaskTranscript', title: 'Open transcript', arguments: [row.id] };
    return item;
  }

  private async pick(id: unknown, what: string): Promise<TaskRecord | undefined> {
    await this.refresh();
    const key = typeof id === 'string' ? id : typeof id === 'object' && id !== null && 'id' in id ? String((id as { id: unknown }).id) : undefined;
    if (key !== undefined) return this.records.get(key);
    const picked = await vscode.window.showQuickPick(
      this.rows.map((r) => ({ label: r.label, description: r.description, id: r.id })),
      { placeHolder: `Which task to ${what}?` },
    );
    return picked ? this.records.get(picked.id) : undefined;
  }

  private terminals = new Map<string, vscode.Terminal>();

  private showTerminal(id: string): void {
    this.terminals.get(id)?.show();
  }

  async newInWorktree(): Promise<void> {
    const root = this.options.workspaceRoot();
    if (!root) {
      void vscode.window.showErrorMessage('Tiller: open a folder first; a worktree task starts from its git repository.');
      return;
    }
    const config = await this.options.loadConfig();
    if (config.problems.length) {
      void vscode.window.showErrorMessage(`Tiller: ${config.problems.join(' ')}`);
      return;
    }
    const task = await vscode.window.showInputBox({ prompt: 'What should the task do? It runs in its own git worktree and branch.', ignoreFocusOut: true });
    if (!task?.trim()) return;
    const core = await this.worktrees();
    let carry: string[] = [];
    try {
      const repo = await core.repositoryOf(root);
      const dirty = await core.uncommittedFiles(repo.top);
      if (dirty.length) {
        const answer = await vscode.window.showWarningMessage(
          `Your working tree has ${dirty.length} uncommitted change(s). Start the task with them?`,
          { modal: true },
          'Carry them over',
          'Start from the last commit',
        );
        if (answer === undefined) return;
        carry = [answer === 'Carry them over' ? '--carry-changes' : '--no-carry-changes'];
      }
    } catch (err) {
      void vscode.window.showErrorMessage(`Tiller: ${(err as Error).message}`);
      return;
    }
    const max = vscode.workspace.getConfiguration('tiller').get<number>('tasks.maxConcurrent', 3);
    const m = config.model;
    const args = [
      `${this.options.distDir}/cli.js`,
      'run',
      task,
      '--worktree',
      ...carry,
      '--workspace',
      root,
      '--approve',
      'ask',
      '--base-url',
      m.baseUrl,
      '--model',
      m.largeModel,
      ...(m.smallModel ? ['--small-model', m.smallModel] : []),
      '--max-steps',
      String(config.maxSteps),
      '--max-cost',
      String(config.maxCostUsd),
      ...(config.maxDailyCostUsd !== undefined ? ['--max-daily-cost', String(config.maxDailyCostUsd)] : []),
    ];
    const terminal = vscode.window.createTerminal({
      name: `Tiller task: ${task.slice(0, 30)}`,
      shellPath: process.execPath,
      shellArgs: args,
      cwd: root,
      // The key goes to this one process only; it is never written to a file or a command line.
      env: {
        ELECTRON_RUN_AS_NODE: '1',
        TILLER_TASKS_MAX_CONCURRENT: String(max),
        TILLER_HOME: this.options.tillerHome(),
        ...(m.apiKey ? { TILLER_API_KEY: m.apiKey } : {}),
      },
    });
    terminal.show(true);
    // The record appears once the worktree is made; the terminal is matched to it by the process.
    const pid = await terminal.processId;
    const started = Date.now();
    const match = setInterval(() => {
      void this.refresh().then(() => {
        const found = [...this.records.values()].find((r) => r.pid === pid);
        if (found) this.terminals.set(found.id, terminal);
        if (found || Date.now() - started > 60_000) clearInterval(match);
      });
    }, 500);
  }

  async openTranscript(id?: unknown): Promise<void> {
    const r = await this.pick(id, 'open');
    if (!r) return;
    const terminal = this.terminals.get(r.id);
    if (terminal && this.states.get(r.id) !== 'done') terminal.show();
    else if (r.tracePath) await vscode.window.showTextDocument(vscode.Uri.file(r.tracePath), { preview: true });
    else void vscode.window.showInformationMessage(`Tiller: task ${r.id} has no transcript yet.`);
  }

  async stop(id?: unknown): Promise<void> {
    const r = await this.pick(id, 'stop');
    if (!r || r.pid === undefined) return;
    const core = await this.worktrees();
    if (!core.pidAlive(r.pid)) {
      void vscode.window.showInformationMessage(`Tiller: task ${r.id} is not running.`);
      return;
    }
    // The CLI stops the task on SIGINT as on Ctrl+C, and commits what it did on its branch.
    process.kill(r.pid, 'SIGINT');
  }

  async review(id?: unknown): Promise<void> {
    const r = await this.pick(id, 'review');
    if (!r) return;
    const core = await this.worktrees();
    let changes;
    try {
      changes = await core.taskChanges(r);
    } catch (err) {
      void vscode.window.showErrorMessage(`Tiller: ${(err as Error).message}`);
      return;
    }
    const header = `# Task ${r.id} on ${r.branch}\n# from ${changes.base.slice(0, 12)} (${r.carried ? 'your carried-over changes' : 'merge base'}) to ${changes.tip.slice(0, 12)}${changes.baseMoved ? `\n# your branch moved since the task started (${r.baseCommit.slice(0, 12)} -> ${changes.userHead.slice(0, 12)})` : ''}\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'diff', content: header + changes.diff });
    await vscode.window.showTextDocument(doc, { preview: true });
    const files = changes.changeSet.files.map((f) => f.path);
    if (!files.length) {
      void vscode.window.showInformationMessage(`Tiller: task ${r.id} changed nothing.`);
      return;
    }
    const answer = await vscode.window.showInformationMessage(
      `Apply task ${r.id} to your tree? ${files.length} file(s): ${files.slice(0, 6).join(', ')}${files.length > 6 ? ' …' : ''}. All or nothing: if any file changed in your tree since the task's base, nothing is written.`,
      { modal: true },
      'Apply',
    );
    if (answer !== 'Apply') return;
    const result = await core.applyTask(this.options.tillerHome(), r);
    if (result.ok) void vscode.window.showInformationMessage(`Tiller: applied task ${r.id} (${result.files.join(', ')}); the branch ${r.branch} is kept.`);
    else if (result.conflicts.length)
      void vscode.window.showErrorMessage(
        `Tiller: nothing was written. These files changed in your tree since the task's base: ${result.conflicts.join(', ')}. Merge the branch ${r.branch} with git instead.`,
        { modal: true },
      );
    else void vscode.window.showErrorMessage(`Tiller: ${result.error}`);
    await this.refresh();
  }

  async keepBranch(id?: unknown): Promise<void> {
    const r = await this.pick(id, 'keep');
    if (!r) return;
    await this.guard(async (core) => core.keepBranch(this.options.tillerHome(), r), `worktree removed, branch ${r.branch} kept`);
  }

  async discard(id?: unknown): Promise<void> {
    const r = await this.pick(id, 'discard');
    if (!r) return;
    const answer = await vscode.window.showWarningMessage(
      `Discard task ${r.id}? Its worktree and the branch ${r.branch} are deleted.`,
      { modal: true },
      'Discard',
    );
    if (answer !== 'Discard') return;
    await this.guard(async (core) => core.discardTask(this.options.tillerHome(), r), `task ${r.id} discarded`);
  }

  private async guard(job: (core: Worktrees) => Promise<void>, done: string): Promise<void> {
    try {
      await job(await this.worktrees());
      void vscode.window.showInformationMessage(`Tiller: ${done}.`);
    } catch (err) {
      void vscode.window.showErrorMessage(`Tiller: ${(err as Error).message}`);
    }
    await this.refresh();
  }
}

function icon(state: TaskViewState): vscode.ThemeIcon {
  switch (state) {
    case 'running':
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'waiting for approval':
      return new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('editorWarning.foreground'));
    case 'done':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'stopped':
      return new vscode.ThemeIcon('debug-stop');
    case 'applied':
      return new vscode.ThemeIcon('check-all');
  }
}
