// Starting index workers. The bundle ships dist/index-worker.js beside the code that starts it; run from source (tests
// and benchmarks under tsx), the worker loads tsx first and then the TypeScript entry. Anything else: no worker, and
// the main thread reads every file itself.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IndexWorkerInput } from './index-worker-protocol.js';

/** Below this many files a worker's start-up (tens of milliseconds) costs more than it saves. */
export const PARALLEL_MIN_FILES = 2000;
const MAX_WORKERS = 3;

/** Workers for a cold build of `files` files: one fewer than the cores (the main thread reads too), unless set. */
export function workerCount(files: number, requested: number | undefined): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  if (files < PARALLEL_MIN_FILES) return 0;
  return Math.max(0, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

export function startIndexWorker(input: IndexWorkerInput): Worker | undefined {
  const bundled = join(__dirname, 'index-worker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData: input });
  const source = join(__dirname, 'index-worker.ts');
  let tsx: string;
  try {
    tsx = require.resolve('tsx/cjs');
  } catch {
    return undefined;
  }
  if (!existsSync(source)) return undefined;
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, { eval: true, workerData: input });
}
