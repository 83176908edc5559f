// Tells the model what an applied change set broke, from VS Code's own language servers: the errors and warnings the
// change introduced in the files it touched and in the files that import them. Just before a change is applied the
// diagnostics of those files are snapshotted (their documents opened, unseen, so the servers report on them); after
// the step, once diagnostics have settled, whatever is new is reported; what was there before is never repeated.
import type * as vscode from 'vscode';
import type { ChangeObservation, ChangeObserver, EditApplier } from '../core/ports.js';
import type { ChangeSet } from '../core/edits/types.js';
import { findImporters } from './importers.js';

/** Settled: no diagnostics change for the watched files for this long. */
export const DIAGNOSTICS_QUIET_MS = 750;
/** After opening or changing files, how long to wait for a language server's first report before calling it quiet. */
export const DIAGNOSTICS_FIRST_REPORT_MS = 3000;
/** Never wait longer than this for diagnostics to settle, before or after a change. */
export const DIAGNOSTICS_MAX_WAIT_MS = 10_000;
/** At most this many new problems are listed; the rest are counted. */
export const MAX_REPORTED_DIAGNOSTICS = 20;
/** The observation's cap in characters (about 1,500 tokens): a broken build must not flood the context. */
export const MAX_OBSERVATION_CHARS = 6000;

type Api = Pick<typeof vscode, 'workspace' | 'languages' | 'Uri' | 'DiagnosticSeverity'>;

export interface NewDiagnostic {
  path: string;
  line: number;
  severity: 'error' | 'warning';
  message: string;
  source?: string;
  code?: string;
}

/** Counts of diagnostics by what they say (not where: a line that moved is the same problem). */
type Snapshot = Map<string, number>;

export interface DiagnosticsAfterEdits {
  /** The applier that snapshots the files' diagnostics before it applies a change set. */
  wrap(inner: EditApplier): EditApplier;
  observer: ChangeObserver;
}

export function createDiagnosticsAfterEdits(api: Api, root: string): DiagnosticsAfterEdits {
  // Per file (workspace-relative): what it showed before the first change of this step.
  let before = new Map<string, Snapshot>();

  const uriOf = (rel: string) => api.Uri.joinPath(api.Uri.file(root), rel);

  function current(rel: string): NewDiagnostic[] {
    const out: NewDiagnostic[] = [];
    for (const d of api.languages.getDiagnostics(uriOf(rel))) {
      const severity = d.severity === api.DiagnosticSeverity.Error ? 'error' : d.severity === api.DiagnosticSeverity.Warning ? 'warning' : undefined;
      if (!severity) continue;
      const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
      out.push({ path: rel, line: d.range.start.line + 1, severity, message: d.message, ...(d.source ? { source: d.source } : {}), ...(code ? { code } : {}) });
    }
    return out;
  }

  /** Opens each file as a document (not shown) so language servers check it; true when any was not open yet. */
  async function open(paths: Iterable<string>): Promise<boolean> {
    let opened = false;
    for (const rel of paths) {
      const uri = uriOf(rel);
      if (api.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) continue;
      try {
        await api.workspace.openTextDocument(uri);
        opened = true;
      } catch {
        // Deleted or binary: nothing to check.
      }
    }
    return opened;
  }

  function settle(paths: Iterable<string>, signal?: AbortSignal): Promise<void> {
    const watched = new Set([...paths].map((p) => uriOf(p).toString()));
    return new Promise((resolve) => {
      let quiet: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        clearTimeout(quiet);
        clearTimeout(max);
        sub.dispose();
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const arm = (ms: number) => {
        clearTimeout(quiet);
        quiet = setTimeout(finish, ms);
      };
      const sub = api.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => watched.has(u.toString()))) arm(DIAGNOSTICS_QUIET_MS);
      });
      const max = setTimeout(finish, DIAGNOSTICS_MAX_WAIT_MS);
      signal?.addEventListener('abort', finish, { once: true });
      if (signal?.aborted) finish();
      else arm(DIAGNOSTICS_FIRST_REPORT_MS);
    });
  }

  async function snapshotBefore(changeSet: ChangeSet): Promise<void> {
    const files = changeSet.files.map((f) => f.path);
    const importers = await findImporters(api, root, files).catch(() => []);
    const fresh = [...files, ...importers].filter((p) => !before.has(p));
    if (fresh.length === 0) return;
    // Only newly opened files need the wait: an open file's diagnostics are already current.
    if (await open(fresh)) await settle(fresh);
    for (const rel of fresh) before.set(rel, countByKey(current(rel)));
  }

  return {
    wrap(inner) {
      return {
        async apply(changeSet) {
          try {
            await snapshotBefore(changeSet);
          } catch {
            // A failed snapshot must not stop an approved change; the report after it is then best effort.
          }
          return inner.apply(changeSet);
        },
      };
    },
    observer: {
      async afterChanges(files, signal): Promise<ChangeObservation | undefined> {
        const snapshot = before;
        before = new Map();
        const paths = new Set([...snapshot.keys(), ...files]);
        await open(paths);
        await settle(paths, signal);
        if (signal.aborted) return undefined;
        const introduced = [...paths].sort().flatMap((rel) => newSince(snapshot.get(rel) ?? new Map(), current(rel)));
        if (introduced.length === 0) return undefined;
        return { source: 'diagnostics', text: formatIntroduced(introduced), problem: introduced.some((d) => d.severity === 'error') };
      },
    },
  };
}

function keyOf(d: NewDiagnostic): string {
  return `${d.severity}\u0000${d.source ?? ''}\u0000${d.code ?? ''}\u0000${d.message}`;
}

function countByKey(list: readonly NewDiagnostic[]): Snapshot {
  const counts: Snapshot = new Map();
  for (const d of list) counts.set(keyOf(d), (counts.get(keyOf(d)) ?? 0) + 1);
  return counts;
}

/** Pure: the diagnostics in `now` beyond those counted in `before` (the same problem twice is two problems). */
export function newSince(before: ReadonlyMap<string, number>, now: readonly NewDiagnostic[]): NewDiagnostic[] {
  const left = new Map(before);
  const out: NewDiagnostic[] = [];
  for (const d of now) {
    const n = left.get(keyOf(d)) ?? 0;
    if (n > 0) left.set(keyOf(d), n - 1);
    else out.push(d);
  }
  return out;
}

/** Pure: the compact observation the model reads, errors first, within the count and character caps. */
export function formatIntroduced(list: readonly NewDiagnostic[]): string {
  const sorted = [...list].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  const head = `Diagnostics after your change: it introduced ${plural(errors, 'error')} and ${plural(warnings, 'warning')} (problems that were there before are not listed):`;
  const lines: string[] = [head];
  let chars = head.length;
  let shown = 0;
  for (const d of sorted) {
    const tag = [d.source, d.code].filter(Boolean).join(' ');
    const line = `- ${d.path}:${d.line} ${d.severity}${tag ? ` [${tag}]` : ''}: ${d.message.replace(/\s+/g, ' ').slice(0, 500)}`;
    if (shown >= MAX_REPORTED_DIAGNOSTICS || chars + line.length + 1 > MAX_OBSERVATION_CHARS) break;
    lines.push(line);
    chars += line.length + 1;
    shown++;
  }
  if (shown < sorted.length) lines.push(`- ... and ${sorted.length - shown} more`);
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
