// Tells the model what an applied change set broke, from VS Code's own language servers: the errors and warnings the
// change introduced in the files it touched and in the files that import them. Just before a change is applied the
// diagnostics of those files are snapshotted (their documents opened, unseen, so the servers report on them); after
// the step, once diagnostics have settled, whatever is new is reported; what was there before is never repeated.
import type * as vscode from 'vscode';
import type { ChangeObservation, ChangeObserver, EditApplier, Logger } from '../core/ports.js';
import type { ChangeSet } from '../core/edits/types.js';
import { findImporters } from './importers.js';
import { TS_FILE, tsDiagnostics } from './ts-diagnostics.js';

/** Settled: no diagnostics change for the watched files for this long. */
export const DIAGNOSTICS_QUIET_MS = 750;
/** After opening or changing files, how long to wait for a language server's first report before calling it quiet. */
export const DIAGNOSTICS_FIRST_REPORT_MS = 3000;
/**
 * Files VS Code's built-in language features check, so a report is worth waiting for even when the server is still
 * starting (TypeScript's first project load can take seconds); other files are waited for once a server has
 * reported on them.
 */
const CHECKED_BY_BUILT_INS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|json|jsonc|css|scss|less)$/i;
/** Never wait longer than this for diagnostics to settle, before or after a change. */
export const DIAGNOSTICS_MAX_WAIT_MS = 10_000;
/** At most this many new problems are listed; the rest are counted. */
export const MAX_REPORTED_DIAGNOSTICS = 20;
/** The observation's cap in characters (about 1,500 tokens): a broken build must not flood the context. */
export const MAX_OBSERVATION_CHARS = 6000;

type Api = Pick<typeof vscode, 'workspace' | 'languages' | 'Uri' | 'DiagnosticSeverity' | 'commands'>;

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

export function createDiagnosticsAfterEdits(api: Api, root: string, log?: Logger): DiagnosticsAfterEdits {
  // Per file (workspace-relative): what it showed before the first change of this step.
  let before = new Map<string, Snapshot>();
  // Files some language server has reported on: after a change to one of them a fresh report is sure to come.
  // Files some language server has reported on, and when it last did.
  const reported = new Map<string, number>();
  let appliedAt = 0;
  api.languages.onDidChangeDiagnostics((e) => {
    for (const u of e.uris) reported.set(u.toString(), Date.now());
  });

  const uriOf = (rel: string) => api.Uri.joinPath(api.Uri.file(root), rel);

  /** TypeScript's own answer where it gives one (files not in tabs included), VS Code's diagnostics otherwise. */
  async function current(rel: string): Promise<NewDiagnostic[]> {
    return (await tsDiagnostics(api, uriOf(rel), rel)) ?? reportedDiagnostics(rel);
  }

  function reportedDiagnostics(rel: string): NewDiagnostic[] {
    const out: NewDiagnostic[] = [];
    for (const d of api.languages.getDiagnostics(uriOf(rel))) {
      const severity = d.severity === api.DiagnosticSeverity.Error ? 'error' : d.severity === api.DiagnosticSeverity.Warning ? 'warning' : undefined;
      if (!severity) continue;
      const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
      out.push({ path: rel, line: d.range.start.line + 1, severity, message: d.message, ...(d.source ? { source: d.source } : {}), ...(code ? { code } : {}) });
    }
    return out;
  }

  /** Opens each file as a document (not shown) so language servers check it; returns those not open yet. */
  async function open(paths: Iterable<string>): Promise<string[]> {
    const opened: string[] = [];
    for (const rel of paths) {
      const uri = uriOf(rel);
      if (api.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) continue;
      try {
        await api.workspace.openTextDocument(uri);
        opened.push(rel);
      } catch {
        // Deleted or binary: nothing to check.
      }
    }
    return opened;
  }

  /**
   * Waits until each file in `awaited` has had a report, then for a quiet period; with nothing awaited, for the
   * first report or a quiet period. Never longer than the maximum wait, and not past the signal.
   */
  function settle(paths: Iterable<string>, awaited: Iterable<string>, signal?: AbortSignal): Promise<void> {
    const watched = new Set([...paths].map((p) => uriOf(p).toString()));
    const pending = new Set([...awaited].map((p) => uriOf(p).toString()));
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
        const ours = e.uris.filter((u) => watched.has(u.toString()));
        for (const u of ours) pending.delete(u.toString());
        if (ours.length > 0 && pending.size === 0) arm(DIAGNOSTICS_QUIET_MS);
      });
      const max = setTimeout(finish, DIAGNOSTICS_MAX_WAIT_MS);
      signal?.addEventListener('abort', finish, { once: true });
      if (signal?.aborted) finish();
      else if (pending.size === 0) arm(DIAGNOSTICS_FIRST_REPORT_MS);
    });
  }

  async function snapshotBefore(changeSet: ChangeSet): Promise<void> {
    const files = changeSet.files.map((f) => f.path);
    const importers = await findImporters(api, root, files).catch(() => []);
    const fresh = [...files, ...importers].filter((p) => !before.has(p));
    if (fresh.length === 0) return;
    // Only newly opened files need the wait: an open file's diagnostics are already current.
    // TypeScript files are asked of tsserver directly (ts-diagnostics.ts); only the others wait for reports.
    const opened = (await open(fresh)).filter((p) => !TS_FILE.test(p));
    if (opened.length > 0)
      await settle(
        fresh,
        opened.filter((p) => CHECKED_BY_BUILT_INS.test(p) || reported.has(uriOf(p).toString())),
      );
    for (const rel of fresh) before.set(rel, countByKey(await current(rel)));
    log?.info(`diagnostics before the change: ${fresh.map((p) => `${p} (${[...before.get(p)!.values()].reduce((a, b) => a + b, 0)})`).join(', ')}`);
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
          const result = await inner.apply(changeSet);
          appliedAt = Date.now();
          return result;
        },
      };
    },
    observer: {
      async afterChanges(files, signal): Promise<ChangeObservation | undefined> {
        const snapshot = before;
        before = new Map();
        const paths = new Set([...snapshot.keys(), ...files]);
        await open(paths);
        // The changed files themselves will be re-checked by any server that checked them before (a report that came
        // in since the change was applied already counts). TypeScript files are asked of tsserver, which needs no wait.
        const others = [...paths].filter((p) => !TS_FILE.test(p));
        if (others.length > 0)
          await settle(
            others,
            files.filter((p) => !TS_FILE.test(p) && (reported.get(uriOf(p).toString()) ?? Infinity) <= appliedAt),
            signal,
          );
        if (signal.aborted) return undefined;
        const introduced: NewDiagnostic[] = [];
        for (const rel of [...paths].sort()) introduced.push(...newSince(snapshot.get(rel) ?? new Map(), await current(rel)));
        log?.info(`diagnostics after the change: ${introduced.length} new in ${[...paths].join(', ')}`);
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
