// The single test entry: node's own test runner over TypeScript test files (loaded through tsx).
// `node test/run.mjs` runs unit and integration tests; `node test/run.mjs unit` only one suite; `--timings` adds
// each file's time.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suites = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const roots = (suites.length ? suites : ['unit', 'integration']).map((s) => join('test', s));

/** @param {string} dir @param {string[]} out @returns {string[]} */
function collect(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = roots.flatMap((r) => collect(r, [])).sort();
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
// `--timings` ends the run with each file's time, slowest first (test/file-times.mjs).
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
if (process.argv.includes('--timings')) reporters.push('--test-reporter=./test/file-times.mjs', '--test-reporter-destination=stdout');
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', ...reporters, '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: { ...process.env, TILLER_TEST: '1' } },
);
process.exit(result.status ?? 1);
