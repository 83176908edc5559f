// The edits layer's public surface.
export * from './types.js';
export { createFsEditApplier, type FsEditApplierOptions, type ApplyFileOps } from './apply.js';
export { writeFileAtomic, type AtomicWriteOptions } from './atomic-write.js';
export { sha256Hex } from './hash.js';
