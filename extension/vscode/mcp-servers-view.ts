// The "MCP Servers" tree in the Tiller container: one row per server (built-in and configured) with its state icon
// and a one-line detail; under it where it is configured (click to open), what runs, the last error and the last
// lines of its stderr. Inline actions restart and stop it. The data and the actions are McpServersModel's.
import * as vscode from 'vscode';
import type { McpRowState, McpServerRow, McpServersModel } from './mcp-servers-model.js';

export const MCP_VIEW_ID = 'tiller.mcpServers';
const REFRESH_MS = 100;

/** A server row, or one of the lines under it. */
export type McpNode =
  | { kind: 'server'; row: McpServerRow }
  | { kind: 'line'; id: string; label: string; description?: string; icon: string; tooltip?: string; command?: vscode.Command }
  | { kind: 'stderr'; row: McpServerRow }
  | { kind: 'problem'; text: string };

/** Made when a row is drawn, not at load: this module is part of the activation bundle. */
function stateIcon(state: McpRowState): vscode.ThemeIcon {
  switch (state) {
    case 'running':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'waiting_for_consent':
      return new vscode.ThemeIcon('shield', new vscode.ThemeColor('editorWarning.foreground'));
    case 'stopped':
      return new vscode.ThemeIcon('circle-large-outline');
  }
}

const STATE_WORDS: Record<McpRowState, string> = {
  running: 'running',
  starting: 'starting',
  failed: 'failed',
  waiting_for_consent: 'waiting for consent',
  stopped: 'stopped',
};

export class McpServersTree implements vscode.TreeDataProvider<McpNode> {
  private readonly emitter = new vscode.EventEmitter<McpNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private problems: string[] = [];
  private shown = false;
  private pending: NodeJS.Timeout | undefined;

  /** `firstShown`: the view asked for its rows for the first time (the configuration is read then, not at activation). */
  constructor(
    private readonly model: McpServersModel,
    private readonly firstShown: () => void,
  ) {
    model.onDidChange(() => this.refreshSoon());
  }

  /**
   * A restart reports several states within milliseconds; one redraw for them keeps the rows (and the element a
   * row's button passes to its command) steady instead of rebuilding the tree for each.
   */
  private refreshSoon(): void {
    if (this.pending !== undefined) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.emitter.fire(undefined);
    }, REFRESH_MS);
  }

  setProblems(problems: readonly string[]): void {
    this.problems = [...problems];
    this.emitter.fire(undefined);
  }

  getChildren(node?: McpNode): McpNode[] {
    if (node === undefined) {
      if (!this.shown) {
        this.shown = true;
        this.firstShown();
      }
      return [...this.model.rows().map((row): McpNode => ({ kind: 'server', row })), ...this.problems.map((text): McpNode => ({ kind: 'problem', text }))];
    }
    if (node.kind === 'server') return details(node.row);
    if (node.kind === 'stderr') return node.row.stderr.map((line, i) => ({ kind: 'line', id: `${node.row.name}/stderr/${i}`, label: line, icon: 'blank' }));
    return [];
  }

  getTreeItem(node: McpNode): vscode.TreeItem {
    switch (node.kind) {
      case 'server': {
        const { row } = node;
        const item = new vscode.TreeItem(
          row.name,
          row.state === 'failed' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        // The state is part of the id, so a server that fails shows up expanded (its stderr in view) whatever it was.
        item.id = `${row.name}#${row.state}`;
        item.description = row.detail;
        item.iconPath = stateIcon(row.state);
        item.contextValue = `mcpServer.${row.state}${row.live ? '.live' : ''}`;
        item.accessibilityInformation = { label: `MCP server ${row.name}, ${STATE_WORDS[row.state]}: ${row.detail}` };
        item.tooltip = tooltip(row);
        return item;
      }
      case 'stderr': {
        const item = new vscode.TreeItem(`Last stderr lines (${node.row.stderr.length})`, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `${node.row.name}#${node.row.state}/stderr`;
        item.iconPath = new vscode.ThemeIcon('output');
        return item;
      }
      case 'line': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        if (node.description !== undefined) item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip ?? node.label;
        if (node.command) item.command = node.command;
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
        item.tooltip = node.text;
        return item;
      }
    }
  }
}

function details(row: McpServerRow): McpNode[] {
  const nodes: McpNode[] = [
    {
      kind: 'line',
      id: `${row.name}/config`,
      label: row.source === 'builtin' ? 'Built into Tiller' : `Configured in ${row.origin}`,
      ...(row.file !== undefined ? { description: row.file } : {}),
      icon: row.source === 'builtin' ? 'package' : 'go-to-file',
      ...(row.source === 'builtin' ? {} : { command: { command: 'tiller.openMcpServerConfig', title: 'Open Configuration', arguments: [row.name] } }),
    },
    { kind: 'line', id: `${row.name}/target`, label: row.target, icon: row.target.startsWith('http') ? 'globe' : 'terminal' },
  ];
  if (row.lastError !== undefined && row.state === 'failed') nodes.push({ kind: 'line', id: `${row.name}/error`, label: row.lastError, icon: 'warning' });
  if (row.stderr.length > 0) nodes.push({ kind: 'stderr', row });
  return nodes;
}

function tooltip(row: McpServerRow): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${row.name}**: ${STATE_WORDS[row.state]}\n\n`);
  md.appendText(`${row.detail}\n`);
  md.appendMarkdown(`\nConfigured in: `);
  md.appendText(row.file ?? row.origin);
  if (row.stderr.length) md.appendCodeblock(row.stderr.slice(-8).join('\n'), 'text');
  return md;
}
