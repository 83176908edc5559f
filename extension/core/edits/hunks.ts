// Per-hunk review of a change set: parse a file's unified diff into hunks, and build the file's new content from the
// base content with only the hunks the user accepted. Pure and shared by the webview review and the editor review.
// The diff is checked against the base as it is applied (every context and removed line must match), so a diff that
// does not describe the base is an error rather than a silently wrong file.
import type { ChangeSet, FileChange } from './types.js';

export interface DiffLine {
  kind: ' ' | '-' | '+';
  /** The line without its '\n' (a '\r' stays, as in `diff -u`). */
  text: string;
  /** True when the line has no terminator ("\ No newline at end of file" followed it). */
  noNewline: boolean;
}

export interface Hunk {
  /** 1-based first line in the old file (the line before, for an empty range), as in the header. */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Text after the second `@@`, if any. */
  section: string;
  lines: DiffLine[];
}

export interface FileDiff {
  oldPath: string;
  newPath: string;
  hunks: Hunk[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

/** Parses a single file's unified diff. Throws naming the line that is not a unified diff. */
export function parseFileDiff(diff: string): FileDiff {
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let oldPath = '';
  let newPath = '';
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const where = `diff line ${i + 1}`;
    if (current && (oldLeft > 0 || newLeft > 0)) {
      const kind = line[0];
      if (kind !== ' ' && kind !== '-' && kind !== '+') {
        if (line.startsWith('\\')) {
          const last = current.lines.at(-1);
          if (last) last.noNewline = true;
          continue;
        }
        throw new Error(`${where}: expected a context, removed or added line inside the hunk, got ${JSON.stringify(line.slice(0, 40))}`);
      }
      if (kind !== '+') oldLeft--;
      if (kind !== '-') newLeft--;
      if (oldLeft < 0 || newLeft < 0) throw new Error(`${where}: the hunk has more lines than its header says`);
      current.lines.push({ kind, text: line.slice(1), noNewline: false });
      continue;
    }
    if (line.startsWith('\\')) {
      const last = current?.lines.at(-1);
      if (last) last.noNewline = true;
      continue;
    }
    if (line.startsWith('--- ')) {
      oldPath = line.slice(4);
      continue;
    }
    if (line.startsWith('+++ ')) {
      newPath = line.slice(4);
      continue;
    }
    const m = HUNK_HEADER.exec(line);
    if (m) {
      current = {
        oldStart: Number(m[1]),
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        section: m[5] ?? '',
        lines: [],
      };
      oldLeft = current.oldLines;
      newLeft = current.newLines;
      hunks.push(current);
      continue;
    }
    if (line.startsWith('diff ') || line.startsWith('index ') || line === '') continue;
    throw new Error(`${where}: not part of a unified diff: ${JSON.stringify(line.slice(0, 40))}`);
  }
  if (current && (oldLeft > 0 || newLeft > 0)) throw new Error('the last hunk is shorter than its header says');
  return { oldPath, newPath, hunks };
}

function splitKeepingEnds(text: string): string[] {
  if (text === '') return [];
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function lineText(line: DiffLine): string {
  return line.noNewline ? line.text : `${line.text}\n`;
}

/**
 * The base content with only the hunks whose indexes are in `accepted` applied. Throws when a hunk's context or
 * removed lines do not match the base (the diff was not made from this content).
 */
export function applyHunks(base: string, hunks: readonly Hunk[], accepted: ReadonlySet<number>): string {
  const old = splitKeepingEnds(base);
  const out: string[] = [];
  let pos = 0; // index into `old` of the next line not yet copied
  hunks.forEach((hunk, index) => {
    // An empty old range names the line before it, so its first line is at oldStart (0-based), else oldStart - 1.
    const start = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    if (start < pos || start > old.length) throw new Error(`hunk ${index + 1} starts at line ${hunk.oldStart}, which does not fit the file`);
    out.push(...old.slice(pos, start));
    pos = start;
    const take = accepted.has(index);
    for (const line of hunk.lines) {
      if (line.kind === '+') {
        if (take) out.push(lineText(line));
        continue;
      }
      const actual = old[pos];
      if (actual !== lineText(line)) {
        throw new Error(`hunk ${index + 1} does not match the file at line ${pos + 1}: the diff was made from other content`);
      }
      if (line.kind === ' ' || !take) out.push(actual);
      pos++;
    }
  });
  out.push(...old.slice(pos));
  return out.join('');
}

/** Renders hunks back to a unified diff, renumbering the new side for the hunks that are kept. */
export function renderFileDiff(file: FileDiff, keep: ReadonlySet<number>): string {
  let out = `--- ${file.oldPath}\n+++ ${file.newPath}\n`;
  let shift = 0;
  file.hunks.forEach((hunk, index) => {
    if (!keep.has(index)) return;
    const newStart = hunk.oldLines === 0 && hunk.newLines > 0 ? hunk.oldStart + shift + 1 : hunk.oldStart + shift;
    const fmt = (start: number, count: number): string => (count === 1 ? `${start}` : `${start},${count}`);
    out += `@@ -${fmt(hunk.oldStart, hunk.oldLines)} +${fmt(hunk.newLines === 0 ? newStart - 1 : newStart, hunk.newLines)} @@${hunk.section ? ` ${hunk.section}` : ''}\n`;
    for (const line of hunk.lines) {
      out += `${line.kind}${line.text}\n`;
      if (line.noNewline) out += '\\ No newline at end of file\n';
    }
    shift += hunk.newLines - hunk.oldLines;
  });
  return out;
}

/** Which hunks of which file the user accepted; a file missing from the map is rejected whole. */
export type HunkSelection = ReadonlyMap<string, ReadonlySet<number>>;

export interface Rejection {
  path: string;
  hunk?: number;
  reason?: string;
}

export interface SelectionResult {
  /** Only the accepted part; undefined when nothing was accepted. */
  changeSet: ChangeSet | undefined;
  rejected: Rejection[];
  /** True when every hunk of every file was accepted (the original change set stands). */
  complete: boolean;
}

/**
 * The accepted subset of a change set. `readBase(path)` gives a file's current content (null when it does not exist),
 * needed only for files accepted in part. Creations and deletions are all-or-nothing: a partial pick of one is an
 * error, since half a new file is not what anyone reviewed. Hunk numbers in `rejected` are 1-based.
 */
export async function selectHunks(
  changeSet: ChangeSet,
  selection: HunkSelection,
  readBase: (path: string) => Promise<string | null>,
  reason?: string,
): Promise<SelectionResult> {
  const files: FileChange[] = [];
  const rejected: Rejection[] = [];
  const why = reason ? { reason } : {};
  for (const change of changeSet.files) {
    const picked = selection.get(change.path) ?? new Set<number>();
    const parsed = parseFileDiff(change.diff);
    const total = Math.max(parsed.hunks.length, 1);
    const valid = [...picked].filter((i) => Number.isInteger(i) && i >= 0 && i < total);
    if (valid.length === total) {
      files.push(change);
      continue;
    }
    if (valid.length === 0) {
      rejected.push({ path: change.path, ...why });
      continue;
    }
    if (change.baseHash === null || change.newContent === null) {
      throw new Error(`${change.path}: a file that is created or deleted is accepted or rejected whole, not by hunk`);
    }
    const base = await readBase(change.path);
    if (base === null) throw new Error(`${change.path}: the file no longer exists, so its hunks cannot be applied`);
    const keep = new Set(valid);
    files.push({ ...change, newContent: applyHunks(base, parsed.hunks, keep), diff: renderFileDiff(parsed, keep) });
    parsed.hunks.forEach((_, i) => {
      if (!keep.has(i)) rejected.push({ path: change.path, hunk: i + 1, ...why });
    });
  }
  const complete = rejected.length === 0;
  return {
    changeSet: files.length ? { ...changeSet, files } : undefined,
    rejected,
    complete,
  };
}
