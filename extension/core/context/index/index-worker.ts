// An index worker: reads, checks and tokenises its share of a cold build off the main thread, and posts the files'
// texts and term counts back in batches. Built as its own bundle (dist/index-worker.js); see index-workers.ts.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { IndexWorkerInput, IndexWorkerMessage, WorkerIndexedFile } from './index-worker-protocol.js';
import { readIndexableSync } from './read-indexable.js';
import { TermCounter } from './term-counter.js';
import type { SkipReason } from './types.js';

const BATCH_FILES = 64;

function run(input: IndexWorkerInput): void {
  const port = parentPort;
  if (!port) throw new Error('index-worker must run as a worker thread');
  const cursor = new Int32Array(input.cursor);
  const counter = new TermCounter();
  let reported = 0;
  let files: WorkerIndexedFile[] = [];
  let skipped: { i: number; reason: SkipReason }[] = [];

  const flush = (): void => {
    if (!files.length && !skipped.length) return;
    const message: IndexWorkerMessage = { type: 'batch', newTerms: counter.terms.slice(reported), files, skipped };
    reported = counter.size;
    port.postMessage(
      message,
      files.flatMap((f) => [f.termIds.buffer as ArrayBuffer, f.tfs.buffer as ArrayBuffer]),
    );
    files = [];
    skipped = [];
  };

  for (let i = Atomics.add(cursor, 0, 1); i < input.files.length; i = Atomics.add(cursor, 0, 1)) {
    const read = readIndexableSync(join(input.root, input.files[i]!), input.maxBytes);
    if (read.ok) files.push({ i, text: read.text, ...counter.countText(read.text) });
    else skipped.push({ i, reason: read.reason });
    if (files.length + skipped.length >= BATCH_FILES) flush();
  }
  flush();
  port.postMessage({ type: 'done' } satisfies IndexWorkerMessage);
}

run(workerData as IndexWorkerInput);
