// A change set: the unit of review and of application. It applies all-or-nothing.

export interface FileChange {
  /** Workspace-relative path with forward slashes. */
  path: string;
  /** sha256 (hex) of the file's bytes when the change was proposed; null when the file is to be created. */
  baseHash: string | null;
  /** The full new content; null deletes the file. */
  newContent: string | null;
  /** Unified diff for display and for the trace. */
  diff: string;
}

export interface ChangeSet {
  id: string;
  files: FileChange[];
  /** What the model said this change does. */
  description?: string;
}

export type ApplyResult =
  | { ok: true; files: string[] }
  /** Nothing was written. `conflicts` names files changed on disk since the proposal. */
  | { ok: false; error: string; conflicts: string[] };
