// Problems in the workspace's slash commands, custom agents and skills (malformed front matter, an unknown model or
// tool, a shadowed name) as LSP diagnostics on the files themselves, so they show in the Problems view while the
// files are edited -- the harness skips such a file, and the user should see why before a task starts.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { loadWorkflows } from '../core/workflows/catalog.js';
import type { WorkflowProblem } from '../core/workflows/files.js';

/** Workspace-relative paths whose change may change a workflow's problems. */
export function isWorkflowPath(rel: string): boolean {
  return /^\.(claude|tiller)\/(commands|agents|skills)\//.test(rel) || /^\.github\/(prompts|agents|chatmodes|skills)\//.test(rel);
}

/** Diagnostics per file URI for the project's workflow files (the user's own folder is not the workspace's). */
export function workflowDiagnostics(root: string): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>();
  for (const p of loadWorkflows({ workspaceRoot: root }).problems) {
    const uri = pathToFileURL(path.resolve(p.file)).href;
    const list = byUri.get(uri) ?? [];
    list.push(toDiagnostic(p));
    byUri.set(uri, list);
  }
  return byUri;
}

function toDiagnostic(p: WorkflowProblem): Diagnostic {
  const line = Math.max(0, (p.line ?? 1) - 1);
  return {
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    // The whole line: the problem is with the line's field (or the file, on line 1).
    range: { start: { line, character: 0 }, end: { line, character: 2 ** 31 - 1 } },
    message: p.message,
    source: 'tiller',
  };
}

/** Publishes the current diagnostics and clears files that had some before and have none now. */
export class WorkflowDiagnostics {
  private published = new Set<string>();

  constructor(private readonly send: (uri: string, diagnostics: Diagnostic[]) => void) {}

  refresh(root: string): void {
    const now = workflowDiagnostics(root);
    for (const uri of this.published) if (!now.has(uri)) this.send(uri, []);
    for (const [uri, diagnostics] of now) this.send(uri, diagnostics);
    this.published = new Set(now.keys());
  }
}
