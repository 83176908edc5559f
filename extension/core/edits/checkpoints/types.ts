// Checkpoints: snapshots of the workspace taken before the agent changes it, which the user can go back to.
import type { Checkpointer } from '../../ports.js';

export interface CheckpointInfo {
  /** The shadow repository's commit id. */
  id: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** What was about to happen when it was taken; `restore` marks the snapshot saved before a restore. */
  kind: 'edit' | 'shell' | 'restore';
  /** One line for a picker: the files about to be edited or the command about to run. */
  summary: string;
  files?: string[];
  command?: string;
  /** The user's own repository HEAD at the time, `unborn` for a repository without commits, null without one. */
  userHead: string | null;
}

export type RestoreResult =
  | {
      ok: true;
      /** Files written back with the checkpoint's bytes (changed or deleted since). */
      restored: string[];
      /** Files created since the checkpoint, now removed. */
      removed: string[];
      /** The snapshot taken just before restoring, so the restore itself can be undone. */
      backup: string;
    }
  | { ok: false; reason: string };

export interface ShadowCheckpointer extends Checkpointer {
  /** Newest first. */
  list(): Promise<CheckpointInfo[]>;
  restore(id: string): Promise<RestoreResult>;
  /** Where the shadow repository lives (outside the workspace). */
  readonly gitDir: string;
}
