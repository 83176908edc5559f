// A node:test reporter that prints, at the end of a run, each test file's wall time (its child process from start to
// exit, import and transpile included), slowest first. test/run.mjs adds it beside the spec reporter for
// `node test/run.mjs unit --timings`.
import { relative } from 'node:path';

/** @param {AsyncIterable<{ type: string, data: { name?: string, file?: string, details?: { duration_ms?: number } } }>} source */
export default async function* fileTimes(source) {
  /** @type {[string, number][]} */
  const rows = [];
  for await (const event of source) {
    // The runner reports each file as a test named by the file's own path when its process ends.
    if (event.type === 'test:complete' && event.data.file && event.data.name === event.data.file) {
      rows.push([relative(process.cwd(), event.data.file), event.data.details?.duration_ms ?? 0]);
    }
  }
  rows.sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  yield `\nper-file wall time, ${rows.length} files, ${(total / 1000).toFixed(1)} s summed (files run two at a time):\n`;
  for (const [file, ms] of rows) yield `${(ms / 1000).toFixed(2).padStart(8)} s  ${file}\n`;
}
