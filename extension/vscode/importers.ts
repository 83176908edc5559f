// Which workspace files import a changed file: a bounded text scan of import specifiers (the context index's own
// regexes and resolver, so both agree on what an import is), for the diagnostics a change causes in its importers.
// The context server's index has the edges too but no request for them; a scan of at most MAX_SCANNED_FILES small
// source files answers within the settle wait.
import type * as vscode from 'vscode';
import { importSpecifiers, resolveImport } from '../core/context/index/imports.js';

/** Source files looked at when searching for importers; a larger workspace is scanned this far only. */
export const MAX_SCANNED_FILES = 3000;
/** A file larger than this is generated or vendored, not an importer worth opening. */
const MAX_SCANNED_BYTES = 512 * 1024;
/** Importers opened per change: enough for the files a change really breaks, not a whole monorepo. */
export const MAX_IMPORTERS = 20;

const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py}';
const EXCLUDE_GLOB = '**/{node_modules,dist,out,build,.git,.tiller}/**';

/** Pure: the candidates (workspace-relative, posix) whose imports resolve to one of `changed`. */
export function importersAmong(changed: readonly string[], candidates: ReadonlyMap<string, string>, limit = MAX_IMPORTERS): string[] {
  const targets = new Set(changed);
  const has = (p: string) => candidates.has(p) || targets.has(p);
  const out: string[] = [];
  for (const [path, text] of candidates) {
    if (targets.has(path)) continue;
    if (importSpecifiers(path, text).some((spec) => targets.has(resolveImport(path, spec, has) ?? ''))) out.push(path);
    if (out.length >= limit) break;
  }
  return out.sort();
}

type Api = Pick<typeof vscode, 'workspace' | 'Uri'>;

export async function findImporters(api: Api, root: string, changed: readonly string[], token?: vscode.CancellationToken): Promise<string[]> {
  const uris = await api.workspace.findFiles(SOURCE_GLOB, EXCLUDE_GLOB, MAX_SCANNED_FILES, token);
  const candidates = new Map<string, string>();
  const rootUri = api.Uri.file(root);
  for (const uri of uris) {
    if (token?.isCancellationRequested) break;
    const rel = relative(rootUri.fsPath, uri.fsPath);
    if (rel === undefined) continue;
    try {
      const stat = await api.workspace.fs.stat(uri);
      if (stat.size > MAX_SCANNED_BYTES) continue;
      candidates.set(rel, new TextDecoder().decode(await api.workspace.fs.readFile(uri)));
    } catch {
      // Gone since the listing: not an importer.
    }
  }
  return importersAmong(changed, candidates);
}

function relative(root: string, path: string): string | undefined {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length).split('\\').join('/') : undefined;
}
