// The MCP servers view, wired: the model fed by each task's host (and the consent dialog), the tree, the
// configuration it lists (re-read when the settings or the workspace's MCP files change), and the commands behind
// its buttons. The heavy parts (config parsing, the tool host for a check run) load from the task bundle on first use.
import * as vscode from 'vscode';
import type { Harness } from '../core/harness.js';
import { taskServices } from './deferred.js';
import type { Logger } from '../core/ports.js';
import { McpServersModel, type McpServerRow } from './mcp-servers-model.js';
import { MCP_VIEW_ID, McpServersTree } from './mcp-servers-view.js';
import { openUserSettingsJson } from './settings-location.js';

export interface McpServersFeatureOptions {
  workspaceRoot(): string | undefined;
  distDir: string;
  ripgrepPath(): string | undefined;
  log: Logger;
}

/** What the commands table calls (commands.ts): each takes the server's name from the tree, or asks for one. */
export interface McpServersCommands {
  focus(): Promise<void>;
  restart(name?: unknown): Promise<void>;
  stop(name?: unknown): Promise<void>;
  openConfig(name?: unknown): Promise<void>;
  refresh(): Promise<void>;
  add(): Promise<void>;
}

export class McpServersFeature implements McpServersCommands {
  readonly model: McpServersModel;
  private readonly tree: McpServersTree;
  private loaded = false;

  constructor(private readonly options: McpServersFeatureOptions) {
    this.model = new McpServersModel((name, onStatus) => this.check(name, onStatus));
    this.tree = new McpServersTree(this.model, () => {
      this.loaded = true;
      void this.refresh();
    });
  }

  register(): vscode.Disposable[] {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{.vscode/mcp.json,.mcp.json}');
    const reload = (): void => {
      if (this.loaded) void this.refresh();
    };
    return [
      vscode.window.createTreeView(MCP_VIEW_ID, { treeDataProvider: this.tree }),
      watcher,
      watcher.onDidChange(reload),
      watcher.onDidCreate(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tiller.mcpServers')) reload();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(reload),
    ];
  }

  /** The task's harness: its servers drive the view until the task ends (before the host closes). */
  track<H extends Harness>(harness: H): H {
    const control = harness.mcp;
    if (control === undefined) return harness;
    this.model.attach(control);
    const close = harness.close.bind(harness);
    return Object.assign(harness, {
      close: async () => {
        this.model.detach(control);
        await close();
      },
    });
  }

  async focus(): Promise<void> {
    await vscode.commands.executeCommand(`${MCP_VIEW_ID}.focus`);
  }

  async refresh(): Promise<void> {
    try {
      const { entries, problems } = taskServices().mcpServerEntries(this.options.workspaceRoot());
      this.model.setEntries(entries);
      this.tree.setProblems(problems);
    } catch (error) {
      this.options.log.error(`MCP servers view: ${messageOf(error)}`);
      this.tree.setProblems([`Could not read the MCP configuration: ${messageOf(error)}`]);
    }
  }

  async restart(name?: unknown): Promise<void> {
    const row = await this.pick(name, 'Restart which MCP server?');
    if (!row) return;
    try {
      await this.model.restart(row.name);
    } catch (error) {
      void vscode.window.showErrorMessage(`Tiller: could not restart MCP server "${row.name}": ${messageOf(error)}`);
    }
  }

  async stop(name?: unknown): Promise<void> {
    const row = await this.pick(name, 'Stop which MCP server?');
    if (!row) return;
    if (!(await this.model.stop(row.name))) {
      void vscode.window.showInformationMessage('Tiller: no task is running, so no MCP server is running; they start with the next task.');
    }
  }

  async openConfig(name?: unknown): Promise<void> {
    const row = await this.pick(name, 'Open the configuration of which MCP server?');
    if (!row) return;
    if (row.source === 'builtin') {
      void vscode.window.showInformationMessage(`Tiller: "${row.name}" is built into Tiller; what it may do is set by Tiller's permissions.`);
      return;
    }
    if (row.source === 'user' || row.file === undefined) {
      await openUserSettingsJson(vscode, 'tiller.mcpServers');
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(row.file));
    const at = document.getText().indexOf(JSON.stringify(row.name));
    const position = document.positionAt(Math.max(0, at));
    await vscode.window.showTextDocument(document, {
      selection: new vscode.Range(position, at >= 0 ? document.positionAt(at + JSON.stringify(row.name).length) : position),
    });
  }

  async add(): Promise<void> {
    const workspace = { label: 'This workspace', description: '.vscode/mcp.json (asks for your consent before it starts)' };
    const user = { label: 'All workspaces', description: 'tiller.mcpServers in your user settings' };
    const picked = await vscode.window.showQuickPick([workspace, user], {
      title: 'Tiller: add an MCP server',
      placeHolder: 'Where should the server be configured?',
    });
    if (picked === workspace) await (await import('./editor-commands.js')).manageMcpServers();
    else if (picked === user) await openUserSettingsJson(vscode, 'tiller.mcpServers');
  }

  private async check(name: string, onStatus: Parameters<ConstructorParameters<typeof McpServersModel>[0]>[1]) {
    const root = this.options.workspaceRoot();
    if (root === undefined) throw new Error('open a folder first: MCP servers run for a workspace');
    if (!vscode.workspace.isTrusted) throw new Error('the workspace is not trusted, so Tiller starts no MCP server here');
    const ripgrepPath = this.options.ripgrepPath();
    return taskServices().checkMcpServer(name, {
      workspaceRoot: root,
      distDir: this.options.distDir,
      ...(ripgrepPath !== undefined ? { ripgrepPath } : {}),
      warn: (m) => this.options.log.warn(m),
      observer: this.model,
      onStatus,
    });
  }

  /** The row a tree button passed (its name), or one the user picks from the palette. */
  private async pick(name: unknown, placeHolder: string): Promise<McpServerRow | undefined> {
    if (!this.loaded) {
      this.loaded = true;
      await this.refresh();
    }
    const rows = this.model.rows();
    const given = typeof name === 'string' ? name : isServerNode(name) ? name.row.name : undefined;
    if (given !== undefined) return rows.find((r) => r.name === given);
    const picked = await vscode.window.showQuickPick(
      rows.map((r) => ({ label: r.name, description: r.detail })),
      { title: 'Tiller: MCP servers', placeHolder },
    );
    return picked && rows.find((r) => r.name === picked.label);
  }
}

function isServerNode(value: unknown): value is { kind: 'server'; row: McpServerRow } {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'server';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
