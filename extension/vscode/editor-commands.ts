// The editor's commands that turn what the user is looking at into a task (the selection, the file's problems), and
// the small file openers of the palette (MCP servers). The task goes to the chat view, which runs and shows it.
import * as vscode from 'vscode';
import { fixProblemsTask, selectionTask, type SelectionAction } from './selection-task.js';
import { openOrDraftConfig } from './workspace-files.js';

const MCP_TEMPLATE = `{
  // MCP servers for this workspace: https://modelcontextprotocol.io
  "servers": {}
}
`;

export async function runSelectionCommand(action: SelectionAction, sendTask: (task: string) => Promise<void>): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Tiller: open a file and select some code first.');
    return;
  }
  const { document, selection } = editor;
  // No selection: the line under the cursor.
  const range = selection.isEmpty ? document.lineAt(selection.active.line).range : selection;
  const endLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  let question: string | undefined;
  if (action === 'ask') {
    question = await vscode.window.showInputBox({
      title: 'Tiller: Ask About Selection',
      prompt: 'Your question about the selected code',
      ignoreFocusOut: true,
    });
    if (!question?.trim()) return;
  }
  const task = selectionTask(
    action,
    {
      path: vscode.workspace.asRelativePath(document.uri, false),
      startLine: range.start.line + 1,
      endLine: endLine + 1,
      text: document.getText(range),
      languageId: document.languageId,
    },
    question,
  );
  await sendTask(task);
}

export async function fixProblemsInFile(sendTask: (task: string) => Promise<void>): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Tiller: open the file whose problems should be fixed.');
    return;
  }
  const diagnostics = vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
  if (!diagnostics.length) {
    void vscode.window.showInformationMessage('Tiller: VS Code reports no errors or warnings in this file.');
    return;
  }
  await sendTask(
    fixProblemsTask({
      path: vscode.workspace.asRelativePath(document.uri, false),
      problems: diagnostics.map((d) => ({
        line: d.range.start.line + 1,
        severity: d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning',
        message: d.message,
        ...(d.source ? { source: d.source } : {}),
      })),
    }),
  );
}

/** Opens `.vscode/mcp.json`; when missing, an unsaved editor with an empty server list (nothing written until saved). */
export async function manageMcpServers(): Promise<void> {
  await openOrDraftConfig(['.vscode', 'mcp.json'], MCP_TEMPLATE, 'MCP servers are configured in .vscode/mcp.json');
}
