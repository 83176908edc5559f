// The cold build's read phase with real index workers (worker threads running index-worker.ts): a build with workers
// must equal one without, and a worker that dies after claiming files must not lose them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { coldRead, type ReadFile } from '../../../../extension/core/context/index/cold-read.js';
import type { IndexWorkerInput } from '../../../../extension/core/context/index/index-worker-protocol.js';
import { startIndexWorker } from '../../../../extension/core/context/index/index-workers.js';
import { TermCounter } from '../../../../extension/core/context/index/term-counter.js';
import { buildWorkspaceIndex } from '../../../../extension/core/context/index/workspace-index.js';
import { walkWorkspace } from '../../../../extension/core/context/index/walk.js';
import { removeTree, writeTree } from '../../../unit/context/index/tree.js';

/** A tree of many small modules plus one file of each kind the index skips. */
function mixedTree(modules: number): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (let k = 0; k < modules; k++) {
    files[`src/feature${k % 7}/module${k}.ts`] =
      `import { helper${(k + 1) % modules} } from '../feature${(k + 1) % 7}/module${(k + 1) % modules}';\n` +
      `export function helper${k}(value${k}: number) {\n  return helper${(k + 1) % modules}(value${k}) + ${k};\n}\n` +
      `// ${k % 3 === 0 ? 'parseInvoiceTotals' : k % 3 === 1 ? 'renderLedgerRows' : 'retryNetworkRequest'} for case ${k}\n`;
  }
  files['assets/logo.bin'] = Buffer.from([0, 1, 2, 3, 0, 255]);
  files['dist/bundle.min.js'] = `var a=${'1+'.repeat(4000)}1;`;
  files['data/huge.json'] = `{"k":"${'x'.repeat(2 * 1024 * 1024)}"}`;
  return files;
}

function sortedSkips(skips: { path: string; reason: string }[]): string[] {
  return skips.map((s) => `${s.path}:${s.reason}`).sort();
}

test('an index built with two workers equals one built on the main thread alone', async (t) => {
  const root = writeTree(mixedTree(300));
  t.after(() => removeTree(root));
  const alone = await buildWorkspaceIndex({ root, workers: 0 });
  const shared = await buildWorkspaceIndex({ root, workers: 2 });

  assert.deepEqual(alone.stats().readWorkers, { started: 0, failed: 0, files: 0 });
  assert.equal(shared.stats().readWorkers?.started, 2);
  assert.equal(shared.stats().readWorkers?.failed, 0);
  assert.equal(shared.stats().files, 300);
  assert.equal(alone.stats().files, 300);
  assert.deepEqual(sortedSkips(shared.stats().skipped), sortedSkips(alone.stats().skipped));
  assert.deepEqual(sortedSkips(alone.stats().skipped), ['assets/logo.bin:binary', 'data/huge.json:too_large', 'dist/bundle.min.js:minified']);
  for (const id of alone.fileIds()) {
    const path = alone.pathOf(id)!;
    assert.equal(shared.contentOf(path), alone.contentOf(path), path);
  }
  for (const query of ['parseInvoiceTotals fails for case 12', 'helper42 returns NaN', 'renderLedgerRows', 'feature3 retry']) {
    assert.deepEqual(shared.rank({ text: query, top: 10 }), alone.rank({ text: query, top: 10 }), query);
  }
  assert.deepEqual(shared.lookupSymbol('helper42'), alone.lookupSymbol('helper42'));
});

/** Each file's text and term counts (by term) as a cold read reports them. */
async function readAll(root: string, files: string[], options: { workers: number; startWorker?: (input: IndexWorkerInput) => Worker | undefined }) {
  const dictionary = new TermCounter();
  const out = new Map<number, { text: string; terms: Map<string, number> } | string>();
  const summary = await coldRead({
    root,
    files,
    maxBytes: 1024 * 1024,
    dictionary,
    ...options,
    onFile: ({ i, text, counted }) => {
      const terms = new Map<string, number>();
      counted.termIds.forEach((id, k) => terms.set(dictionary.terms[id]!, counted.tfs[k]!));
      out.set(i, { text, terms });
    },
    onSkip: (i, reason) => out.set(i, reason),
  });
  return { out, summary };
}

test('files read by a worker arrive with the same text and terms as files read on the main thread', async (t) => {
  const root = writeTree(mixedTree(400));
  t.after(() => removeTree(root));
  const { files } = await walkWorkspace(root, { maxFiles: 1000 });
  const alone = await readAll(root, files, { workers: 0 });
  const shared = await readAll(root, files, {
    workers: 1,
    // A head start: the main thread waits until the worker has claimed 150 files, so both really share the work.
    startWorker: (input) => {
      const worker = startIndexWorker(input);
      const cursor = new Int32Array(input.cursor);
      const deadline = Date.now() + 20_000;
      while (Atomics.load(cursor, 0) < 150 && Date.now() < deadline) Atomics.wait(cursor, 0, Atomics.load(cursor, 0), 5);
      return worker;
    },
  });
  assert.equal(shared.summary.failedWorkers, 0);
  assert.ok(shared.summary.workerFiles >= 100, `the worker reported ${shared.summary.workerFiles} files`);
  assert.ok(shared.summary.workerFiles < files.length, 'the main thread read some too');
  assert.equal(shared.out.size, files.length);
  assert.deepEqual(shared.out, alone.out);
});

test('files a worker claimed before it died are read on the main thread, and the failure is counted', async (t) => {
  const root = writeTree(mixedTree(200));
  t.after(() => removeTree(root));
  const { files } = await walkWorkspace(root, { maxFiles: 1000 });
  const got: ReadFile[] = [];
  const skipped: number[] = [];
  const summary = await coldRead({
    root,
    files,
    maxBytes: 1024 * 1024,
    dictionary: new TermCounter(),
    workers: 1,
    // A worker that claims the first 120 files, as a real one would, and crashes before reporting any of them.
    startWorker: (input) => {
      Atomics.add(new Int32Array(input.cursor), 0, 120);
      return new Worker('throw new Error("index worker crashed")', { eval: true });
    },
    onFile: (file) => got.push(file),
    onSkip: (i) => skipped.push(i),
  });
  assert.deepEqual(summary, { workers: 1, failedWorkers: 1, workerFiles: 0 });
  const reported = [...got.map((f) => f.i), ...skipped].sort((a, b) => a - b);
  assert.deepEqual(reported, files.map((_, i) => i), 'every file exactly once');
  assert.equal(skipped.length, 3);
});
