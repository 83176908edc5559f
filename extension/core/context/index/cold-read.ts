// The read phase of a cold build: every walked file is read, checked and tokenised, by the main thread and by index
// workers side by side (they claim files through one shared counter). A worker's term ids are mapped into the
// index's dictionary as its batches arrive. If a worker fails, whatever it claimed but never reported is read here
// afterwards, so a crashed worker costs time, never files.
//
// Reads are synchronous: on a warm page cache a blocking read costs a fraction of the promise round trips (open,
// stat, read, close) of an asynchronous one, which made them most of the cold build. The main thread reads in time
// slices (time-slice.ts), so requests and cancellation still get a turn.
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { IndexWorkerInput, IndexWorkerMessage } from './index-worker-protocol.js';
import { startIndexWorker, workerCount } from './index-workers.js';
import { readIndexableSync } from './read-indexable.js';
import type { CountedTerms, TermCounter } from './term-counter.js';
import { TimeSlice } from './time-slice.js';
import type { SkipReason } from './types.js';
import { throwIfAborted } from './walk.js';

export interface ReadFile {
  /** Position in walk order: the file's id. */
  i: number;
  text: string;
  counted: CountedTerms;
}

export interface ColdReadOptions {
  root: string;
  files: readonly string[];
  maxBytes: number;
  /** The dictionary every counted term id refers to (the lexical index's). */
  dictionary: TermCounter;
  workers?: number;
  /** How a worker is started; a seam for tests that stop one half-way. */
  startWorker?: (input: IndexWorkerInput) => Worker | undefined;
  signal?: AbortSignal;
  onFile: (file: ReadFile) => void;
  onSkip: (i: number, reason: SkipReason) => void;
  onProgress?: (done: number) => void;
}

export interface ColdReadSummary {
  /** Workers that started. */
  workers: number;
  /** Workers that stopped before reporting everything they claimed (their files were read here instead). */
  failedWorkers: number;
  /** Files (indexed or skipped) that workers reported. */
  workerFiles: number;
}

export async function coldRead(options: ColdReadOptions): Promise<ColdReadSummary> {
  const { files, dictionary, signal } = options;
  const finished = new Uint8Array(files.length);
  let finishedCount = 0;
  const finish = (i: number): void => {
    finished[i] = 1;
    if (++finishedCount % 1000 === 0) options.onProgress?.(finishedCount);
  };
  const readHere = (i: number): void => {
    const read = readIndexableSync(join(options.root, files[i]!), options.maxBytes);
    if (read.ok) options.onFile({ i, text: read.text, counted: dictionary.countText(read.text) });
    else options.onSkip(i, read.reason);
    finish(i);
  };
  /** Reads the positions `next` hands out, in slices, until it returns one past the end. */
  const readInSlices = async (next: () => number): Promise<void> => {
    const slice = new TimeSlice();
    for (let i = next(); i < files.length; i = next()) {
      if (slice.due) {
        await slice.yield();
        throwIfAborted(signal);
      }
      readHere(i);
    }
  };

  const cursor = new SharedArrayBuffer(4);
  const claim = new Int32Array(cursor);
  const input: IndexWorkerInput = { root: options.root, files: [...files], maxBytes: options.maxBytes, cursor };
  const workers: Worker[] = [];
  let workerFiles = 0;
  const workerRuns: Promise<boolean>[] = [];
  for (let w = 0; w < workerCount(files.length, options.workers); w++) {
    let worker: Worker | undefined;
    try {
      worker = (options.startWorker ?? startIndexWorker)(input);
    } catch {
      worker = undefined;
    }
    if (!worker) break;
    workers.push(worker);
    workerRuns.push(
      followWorker(worker, dictionary, (message) => {
        workerFiles += message.skipped.length + message.files.length;
        for (const s of message.skipped) {
          options.onSkip(s.i, s.reason);
          finish(s.i);
        }
        for (const f of message.files) {
          options.onFile({ i: f.i, text: f.text, counted: { termIds: f.termIds, tfs: f.tfs, length: f.length } });
          finish(f.i);
        }
      }),
    );
  }

  // Cancelling stops the workers too; their runs then resolve on exit.
  const stopWorkers = (): void => {
    for (const worker of workers) void worker.terminate();
  };
  signal?.addEventListener('abort', stopWorkers, { once: true });
  let completed: boolean[] = [];
  try {
    throwIfAborted(signal);
    await readInSlices(() => Atomics.add(claim, 0, 1));
    completed = await Promise.all(workerRuns);
    throwIfAborted(signal);
  } finally {
    signal?.removeEventListener('abort', stopWorkers);
    stopWorkers();
  }
  // Files a failed worker claimed but never reported.
  let leftover = 0;
  await readInSlices(() => {
    while (leftover < files.length && finished[leftover]) leftover++;
    return leftover;
  });
  return { workers: workers.length, failedWorkers: completed.filter((done) => !done).length, workerFiles };
}

/**
 * Resolves true when the worker reports it is done, false if it fails or exits first; batches are mapped into
 * `dictionary` on arrival.
 */
function followWorker(worker: Worker, dictionary: TermCounter, onBatch: (message: Extract<IndexWorkerMessage, { type: 'batch' }>) => void): Promise<boolean> {
  const toGlobal: number[] = [];
  return new Promise<boolean>((resolve) => {
    worker.on('message', (message: IndexWorkerMessage) => {
      if (message.type === 'done') return resolve(true);
      for (const term of message.newTerms) toGlobal.push(dictionary.intern(term));
      for (const f of message.files) for (let k = 0; k < f.termIds.length; k++) f.termIds[k] = toGlobal[f.termIds[k]!]!;
      onBatch(message);
    });
    worker.on('error', () => resolve(false));
    worker.on('exit', () => resolve(false));
  });
}
