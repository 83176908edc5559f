// Worktree tasks: each task in its own git worktree on its own branch, brought back as one change set.
export * from './record.js';
export * from './create.js';
export * from './commit.js';
export * from './changes.js';
export * from './lifecycle.js';
export * from './approver.js';
