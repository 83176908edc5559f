// Checkpoints' public surface.
export * from './types.js';
export { createShadowCheckpointer, workspaceHash, type ShadowCheckpointerOptions } from './shadow.js';
export { GitError } from './git-runner.js';
