// Turns what the editor knows (open and active editors, problems, recent edits, exclude settings) into the context
// server's inputs. Plain data in, plain data out: context-client.ts reads the VS Code API and calls these, so the
// mapping is tested without VS Code.
import * as path from 'node:path';
import type { RankSignals } from '../core/context/index/types.js';

/** vscode.DiagnosticSeverity's values (the enum exists only inside VS Code). */
export const SEVERITY_ERROR = 0;
export const SEVERITY_WARNING = 1;

/** Caps keep one rank request small however many problems or editors a window has. */
const MAX_DIAGNOSTICS = 200;
const MAX_OPEN_FILES = 50;
const MAX_MESSAGE = 300;

export interface EditorState {
  /** Absolute paths of `file:` documents. */
  activeFile?: string;
  visibleFiles: readonly string[];
  /** Open tabs beyond the visible ones, when known. */
  openFiles?: readonly string[];
  recentEdits?: readonly string[];
  /** Absolute path -> its problems; severity as vscode.DiagnosticSeverity (0 error, 1 warning, others ignored). */
  diagnostics: ReadonlyArray<readonly [string, ReadonlyArray<{ line: number; message: string; severity: number }>]>;
}

/** Workspace-relative (forward slashes), or undefined for a path outside the root. */
export function toWorkspacePath(root: string, absolute: string): string | undefined {
  const rel = path.relative(root, absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

export function rankSignals(root: string, state: EditorState): RankSignals {
  const inside = (files: readonly string[] | undefined): string[] => [
    ...new Set((files ?? []).map((f) => toWorkspacePath(root, f)).filter((f): f is string => f !== undefined)),
  ];
  const signals: RankSignals = {};
  const active = state.activeFile === undefined ? undefined : toWorkspacePath(root, state.activeFile);
  if (active !== undefined) signals.activeFile = active;
  const open = inside([...(state.activeFile ? [state.activeFile] : []), ...state.visibleFiles, ...(state.openFiles ?? [])]).slice(0, MAX_OPEN_FILES);
  if (open.length) signals.openFiles = open;
  const recent = inside(state.recentEdits).slice(0, MAX_OPEN_FILES);
  if (recent.length) signals.recentEdits = recent;

  const diagnostics: NonNullable<RankSignals['diagnostics']> = [];
  // Errors before warnings, so the cap drops warnings first.
  for (const wanted of [SEVERITY_ERROR, SEVERITY_WARNING]) {
    for (const [file, problems] of state.diagnostics) {
      const rel = toWorkspacePath(root, file);
      if (rel === undefined) continue;
      for (const p of problems) {
        if (p.severity !== wanted || diagnostics.length >= MAX_DIAGNOSTICS) continue;
        diagnostics.push({
          path: rel,
          line: p.line + 1,
          message: p.message.slice(0, MAX_MESSAGE),
          severity: wanted === SEVERITY_ERROR ? 'error' : 'warning',
        });
      }
    }
  }
  if (diagnostics.length) signals.diagnostics = diagnostics;
  return signals;
}

/**
 * Globs for the index from `files.exclude` and `search.exclude`: the keys set to `true`. Entries with a `when`
 * condition (`{ "when": "$(basename).ts" }`) depend on sibling files and are left to the index's own rules.
 */
export function excludeGlobs(...settings: ReadonlyArray<Record<string, unknown> | undefined>): string[] {
  const globs = new Set<string>();
  for (const setting of settings) {
    for (const [glob, on] of Object.entries(setting ?? {})) if (on === true && glob.trim() !== '') globs.add(glob);
  }
  return [...globs];
}

/** The most recently edited files, newest first, without repeats. */
export class RecentEdits {
  private readonly files: string[] = [];

  constructor(private readonly limit = 20) {}

  touch(file: string): void {
    const at = this.files.indexOf(file);
    if (at === 0) return;
    if (at > 0) this.files.splice(at, 1);
    this.files.unshift(file);
    if (this.files.length > this.limit) this.files.length = this.limit;
  }

  list(): readonly string[] {
    return this.files;
  }
}
