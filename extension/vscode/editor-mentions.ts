// `@problems` and `@terminal` for tasks run in VS Code: what the editor knows and the file system does not. The
// problems come from the diagnostics of files in the workspace; terminal output is captured through VS Code's shell
// integration from the moment Tiller starts (VS Code offers no way to read what a terminal showed before), with
// escape sequences removed: the text goes to the model, never back to a terminal.
import type * as vscode from 'vscode';
import type { EditorMentions } from '../core/context/assembly/host-mentions.js';
import type { MentionResult } from '../core/context/ports.js';

type Api = Pick<typeof vscode, 'languages' | 'window' | 'workspace' | 'DiagnosticSeverity'>;

const MAX_PROBLEMS = 200;
const MAX_COMMANDS = 5;
const MAX_OUTPUT_CHARS = 16_000;

interface Captured {
  command: string;
  output: string;
  exitCode: number | undefined;
  done: boolean;
}

/** The last few commands run in VS Code terminals and their output, bounded. */
export class TerminalCapture {
  private readonly commands: Captured[] = [];

  /** Starts capturing; returns the listeners to dispose. */
  watch(window: Pick<typeof vscode.window, 'onDidStartTerminalShellExecution' | 'onDidEndTerminalShellExecution'>): vscode.Disposable[] {
    // Shell integration events are missing from older hosts (and from stub hosts): then there is nothing to capture.
    if (typeof window.onDidStartTerminalShellExecution !== 'function' || typeof window.onDidEndTerminalShellExecution !== 'function') return [];
    const running = new Map<unknown, Captured>();
    return [
      window.onDidStartTerminalShellExecution((e) => {
        const entry: Captured = { command: e.execution.commandLine.value, output: '', exitCode: undefined, done: false };
        running.set(e.execution, entry);
        this.add(entry);
        void (async () => {
          for await (const chunk of e.execution.read()) this.append(entry, chunk);
        })().catch(() => undefined);
      }),
      window.onDidEndTerminalShellExecution((e) => {
        const entry = running.get(e.execution);
        running.delete(e.execution);
        if (entry) {
          entry.exitCode = e.exitCode;
          entry.done = true;
        }
      }),
    ];
  }

  add(entry: Captured): void {
    this.commands.push(entry);
    if (this.commands.length > MAX_COMMANDS) this.commands.shift();
  }

  append(entry: Captured, chunk: string): void {
    entry.output += stripTerminalControls(chunk);
    // Keep the end: the last lines of a build or test run are the ones that say what went wrong.
    if (entry.output.length > MAX_OUTPUT_CHARS) entry.output = entry.output.slice(-MAX_OUTPUT_CHARS);
  }

  mention(): MentionResult {
    if (this.commands.length === 0) {
      return 'no terminal output has been captured yet: Tiller sees commands run in VS Code terminals with shell integration after it started';
    }
    const text = this.commands
      .map((c) => `$ ${c.command}\n${c.output.trimEnd()}\n${c.done ? `[exit code ${c.exitCode ?? 'unknown'}]` : '[still running]'}`)
      .join('\n\n');
    return { text, reason: `the last ${this.commands.length} command(s) run in VS Code terminals` };
  }
}

/** CSI/OSC/other escape sequences and control characters other than newline and tab. */
/* eslint-disable no-control-regex -- matching control characters is what this function is for */
export function stripTerminalControls(text: string): string {
  return text
    .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g, '') // OSC ... BEL or ST
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '') // CSI
    .replace(/\u001b[@-_]/g, '') // other two-byte escapes
    .replace(/\r\n/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}
/* eslint-enable no-control-regex */

/** Errors and warnings of files inside the workspace folder, most severe first. */
export function problemsMention(api: Api, root: string): MentionResult {
  const rows: { severity: number; line: string }[] = [];
  for (const [uri, diagnostics] of api.languages.getDiagnostics()) {
    if (uri.scheme !== 'file' || !(uri.fsPath === root || uri.fsPath.startsWith(root + '/'))) continue;
    const path = uri.fsPath.slice(root.length + 1);
    for (const d of diagnostics) {
      if (d.severity !== api.DiagnosticSeverity.Error && d.severity !== api.DiagnosticSeverity.Warning) continue;
      const kind = d.severity === api.DiagnosticSeverity.Error ? 'error' : 'warning';
      const source = d.source ? ` (${d.source})` : '';
      rows.push({
        severity: d.severity,
        line: `${path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${kind}: ${stripTerminalControls(d.message)}${source}`,
      });
    }
  }
  if (rows.length === 0) return { text: 'No errors or warnings in the workspace.', reason: 'the problems list, attached by the user' };
  rows.sort((a, b) => a.severity - b.severity);
  const shown = rows.slice(0, MAX_PROBLEMS).map((r) => r.line);
  if (rows.length > MAX_PROBLEMS) shown.push(`[... ${rows.length - MAX_PROBLEMS} more]`);
  return { text: shown.join('\n'), reason: `the problems list (${rows.length}), attached by the user` };
}

export function editorMentions(api: Api, root: string, terminal: TerminalCapture): EditorMentions {
  return {
    problems: async () => problemsMention(api, root),
    terminal: async () => terminal.mention(),
  };
}
