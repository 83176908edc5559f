// What became of each hunk of a proposed change set once the user answered: accepted or rejected, per file, in the
// order of the diff. One function for every reviewer (the chat card, the editor's diff review, the terminal), so the
// card, the trace and the summary line say the same thing. Pure.
import type { ApprovalDecision } from '../ports.js';
import { parseFileDiff } from './hunks.js';
import type { ChangeSet } from './types.js';
import type { FileHunkOutcomes, HunkOutcome } from '../trace/events.js';

// The outcome types live with the trace event that records them (trace is below edits).
export type { FileHunkOutcomes, HunkOutcome } from '../trace/events.js';

function hunkCount(diff: string): number {
  try {
    return Math.max(parseFileDiff(diff).hunks.length, 1);
  } catch {
    return 1;
  }
}

/**
 * Per file, per hunk, from the decision. A denial rejects everything; an approval without a partial change set
 * accepts everything; otherwise a file left out of the partial change set, or listed in `rejected` without a hunk,
 * is rejected whole, and a `rejected` entry with a (1-based) hunk rejects that hunk.
 */
export function editOutcomes(proposed: ChangeSet, decision: ApprovalDecision): FileHunkOutcomes[] {
  return proposed.files.map((file) => {
    const count = hunkCount(file.diff);
    const all = (outcome: HunkOutcome): FileHunkOutcomes => ({ path: file.path, hunks: new Array<HunkOutcome>(count).fill(outcome) });
    if (!decision.approved) return all('rejected');
    if (!decision.changeSet && !decision.rejected?.length) return all('accepted');
    const kept = decision.changeSet ? decision.changeSet.files.some((f) => f.path === file.path) : true;
    const mine = (decision.rejected ?? []).filter((r) => r.path === file.path);
    if (!kept || mine.some((r) => r.hunk === undefined)) return all('rejected');
    const rejected = new Set(mine.map((r) => r.hunk! - 1));
    return { path: file.path, hunks: Array.from({ length: count }, (_, i): HunkOutcome => (rejected.has(i) ? 'rejected' : 'accepted')) };
  });
}

/** "2 of 3 changes accepted, 1 rejected", "all 3 changes accepted", "the change was rejected", ... */
export function describeEditOutcomes(files: readonly FileHunkOutcomes[]): string {
  const all = files.flatMap((f) => f.hunks);
  const accepted = all.filter((h) => h === 'accepted').length;
  const rejected = all.length - accepted;
  const noun = (n: number): string => `change${n === 1 ? '' : 's'}`;
  if (all.length === 1) return accepted ? 'the change was accepted' : 'the change was rejected';
  if (rejected === 0) return `all ${all.length} ${noun(all.length)} accepted`;
  if (accepted === 0) return `all ${all.length} ${noun(all.length)} rejected`;
  return `${accepted} of ${all.length} ${noun(all.length)} accepted, ${rejected} rejected`;
}
