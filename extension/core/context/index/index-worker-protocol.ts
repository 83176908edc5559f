// What the main thread and an index worker say to each other during a cold build. Files are claimed through a shared
// counter, so a worker and the main thread never read the same file and neither waits for the other's share.
import type { SkipReason } from './types.js';

export interface IndexWorkerInput {
  root: string;
  /** Workspace-relative paths in walk order; a file's position is its id. */
  files: string[];
  maxBytes: number;
  /** One Int32: the next unclaimed position in `files`, advanced with Atomics.add by every reader. */
  cursor: SharedArrayBuffer;
}

export interface WorkerIndexedFile {
  i: number;
  text: string;
  /** Term ids in the worker's own dictionary: the batch's `newTerms` extend the list the main thread maps them by. */
  termIds: Int32Array;
  tfs: Int32Array;
  length: number;
}

export type IndexWorkerMessage =
  | {
      type: 'batch';
      /** Terms the worker interned since its previous batch, in id order; every id in `files` is already covered. */
      newTerms: string[];
      files: WorkerIndexedFile[];
      skipped: { i: number; reason: SkipReason }[];
    }
  | { type: 'done' };
