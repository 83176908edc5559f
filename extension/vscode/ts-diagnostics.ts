// TypeScript's diagnostics for a file that is not in an editor tab. VS Code's TypeScript extension reports
// diagnostics only for files shown in tabs (unless project-wide diagnostics are switched on), so an importer opened
// unseen would never be checked. Its `typescript.tsserverRequest` command, documented for other extensions, answers
// `semanticDiagnosticsSync` / `syntacticDiagnosticsSync` for an opened document, after any pending edits are synced.
import type * as vscode from 'vscode';
import type { NewDiagnostic } from './diagnostics-after-edits.js';

export const TS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

interface TsDiagnostic {
  start?: { line?: number };
  text?: string;
  code?: number;
  category?: string;
  source?: string;
}

type Api = Pick<typeof vscode, 'commands'>;

/** The file's errors and warnings from tsserver, or undefined when it cannot say (not TS, no server, a failure). */
export async function tsDiagnostics(api: Api, uri: vscode.Uri, rel: string): Promise<NewDiagnostic[] | undefined> {
  if (!TS_FILE.test(rel)) return undefined;
  const out: NewDiagnostic[] = [];
  for (const command of ['syntacticDiagnosticsSync', 'semanticDiagnosticsSync']) {
    let response: unknown;
    try {
      response = await api.commands.executeCommand('typescript.tsserverRequest', command, { file: uri });
    } catch {
      return undefined;
    }
    const body = (response as { body?: unknown } | undefined)?.body;
    if (!Array.isArray(body)) return undefined;
    for (const d of body as TsDiagnostic[]) {
      const severity = d.category === 'error' ? 'error' : d.category === 'warning' ? 'warning' : undefined;
      if (!severity || typeof d.text !== 'string') continue;
      out.push({
        path: rel,
        line: d.start?.line ?? 1,
        severity,
        message: d.text,
        source: d.source ?? 'ts',
        ...(d.code !== undefined ? { code: String(d.code) } : {}),
      });
    }
  }
  return out;
}
