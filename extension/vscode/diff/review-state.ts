// The state of one change set under review in the editor: per file, per hunk, pending / accepted / rejected. Pure (no
// `vscode`), so it is unit-tested directly. The proposed document shown on the right of the diff is rendered from the
// base with every hunk that is not rejected, so a rejected hunk disappears from the diff and what is left is exactly
// what will be written.
import { applyHunks, parseFileDiff, type Hunk, type HunkSelection } from '../../core/edits/hunks.js';
import type { ChangeSet, FileChange } from '../../core/edits/types.js';

export type HunkDecision = 'pending' | 'accepted' | 'rejected';

export interface FileReview {
  change: FileChange;
  /** The file's content when the review opened (null: it does not exist yet). */
  base: string | null;
  /** Undefined when the file is reviewed whole (created, deleted, or a diff that does not describe the base). */
  hunks: Hunk[] | undefined;
  /** One decision per hunk, or a single one for a file reviewed whole. */
  decisions: HunkDecision[];
}

export interface HunkPosition {
  hunk: number;
  /** First and last line of the hunk (with its context) in the proposed document, 0-based. */
  line: number;
  endLine: number;
  /** The first line the hunk changes: where its marks go. */
  changeLine: number;
  decision: HunkDecision;
}

export class ReviewState {
  readonly files: FileReview[];

  constructor(
    readonly changeSet: ChangeSet,
    bases: ReadonlyMap<string, string | null>,
  ) {
    this.files = changeSet.files.map((change) => {
      const base = bases.get(change.path) ?? null;
      const hunks = hunksFor(change, base);
      return { change, base, hunks, decisions: new Array<HunkDecision>(hunks ? hunks.length : 1).fill('pending') };
    });
  }

  file(path: string): FileReview | undefined {
    return this.files.find((f) => f.change.path === path);
  }

  /** Sets one hunk's decision (index 0 for a file reviewed whole). False when there is no such hunk. */
  decide(path: string, hunk: number, decision: Exclude<HunkDecision, 'pending'>): boolean {
    const file = this.file(path);
    if (!file || !Number.isInteger(hunk) || hunk < 0 || hunk >= file.decisions.length) return false;
    file.decisions[hunk] = decision;
    return true;
  }

  /** Decides every hunk still pending (Accept All / Reject All leave earlier choices as they are). */
  decideRest(decision: Exclude<HunkDecision, 'pending'>): void {
    for (const f of this.files) f.decisions = f.decisions.map((d) => (d === 'pending' ? decision : d));
  }

  get complete(): boolean {
    return this.files.every((f) => f.decisions.every((d) => d !== 'pending'));
  }

  /** The accepted hunks per file, in the shape `selectHunks` takes. */
  selection(): HunkSelection {
    const out = new Map<string, Set<number>>();
    for (const f of this.files) {
      const accepted = f.decisions.flatMap((d, i) => (d === 'accepted' ? [i] : []));
      if (accepted.length) out.set(f.change.path, new Set(accepted));
    }
    return out;
  }

  /** The right side of the diff: the proposal without the rejected hunks. */
  proposedText(path: string): string {
    const file = this.file(path);
    if (!file) return '';
    if (!file.hunks) return file.decisions[0] === 'rejected' ? (file.base ?? '') : (file.change.newContent ?? '');
    const kept = new Set(file.decisions.flatMap((d, i) => (d === 'rejected' ? [] : [i])));
    return applyHunks(file.base ?? '', file.hunks, kept);
  }

  /** Where each hunk that is still shown starts in `proposedText` (0-based line), for CodeLens and "hunk at cursor". */
  hunkLines(path: string): HunkPosition[] {
    const file = this.file(path);
    if (!file) return [];
    if (!file.hunks) return file.decisions[0] === 'rejected' ? [] : [{ hunk: 0, line: 0, endLine: 0, changeLine: 0, decision: file.decisions[0]! }];
    const out: HunkPosition[] = [];
    let shift = 0;
    file.hunks.forEach((h, i) => {
      const decision = file.decisions[i]!;
      if (decision === 'rejected') return;
      const start = (h.oldLines === 0 ? h.oldStart : h.oldStart - 1) + shift;
      const leadingContext = h.lines.findIndex((l) => l.kind !== ' ');
      const changeLine = start + Math.max(leadingContext, 0);
      out.push({ hunk: i, line: start, endLine: start + Math.max(h.newLines, 1) - 1, changeLine, decision });
      shift += h.newLines - h.oldLines;
    });
    return out;
  }

  /** The hunk shown at a 0-based line of the proposed document, if any. */
  hunkAt(path: string, line: number): number | undefined {
    const lines = this.hunkLines(path);
    const inside = lines.find((h) => line >= h.line && line <= h.endLine);
    if (inside) return inside.hunk;
    // A pure deletion has no lines on the proposed side: take the nearest hunk at or after the cursor.
    return lines.find((h) => h.line >= line)?.hunk ?? lines.at(-1)?.hunk;
  }
}

function hunksFor(change: FileChange, base: string | null): Hunk[] | undefined {
  if (change.baseHash === null || change.newContent === null || base === null) return undefined;
  try {
    const hunks = parseFileDiff(change.diff).hunks;
    if (hunks.length === 0) return undefined;
    // Only hunks that rebuild the proposal exactly can be reviewed one by one.
    const all = new Set(hunks.map((_, i) => i));
    return applyHunks(base, hunks, all) === change.newContent ? hunks : undefined;
  } catch {
    return undefined;
  }
}
