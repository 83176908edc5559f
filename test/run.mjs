// The single test entry: node's own test runner over TypeScript test files (loaded through tsx).
// `node test/run.mjs` runs unit and integration tests; `node test/run.mjs unit` only one suite; `--timings` adds
// each file's time.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
// Suites other than unit start the built bundles: built once here for every file (test/helpers/bundles.ts), and
// removed at the end with the run's own temp folder, where every test's mkdtemp lands (TMPDIR).
const runTmp = mkdtempSync(join(tmpdir(), 'tiller-test-run-'));
/** @type {NodeJS.ProcessEnv} */
const env = { ...process.env, TILLER_TEST: '1', TMPDIR: runTmp };
if (roots.some((r) => !r.endsWith('unit'))) {
  const bundles = spawnSync(process.execPath, ['--import', 'tsx', '-e', "require('./test/helpers/bundles.ts').buildBundles().then((d) => process.stdout.write(d))"], {
    env: { ...env, TILLER_TEST_BUNDLES: '', TILLER_TEST_BUNDLES_BUILD: '1' },
    encoding: 'utf8',
  });
  if (bundles.status !== 0) {
    console.error(`could not build the test bundles:\n${bundles.stderr}`);
    process.exit(1);
  }
  env.TILLER_TEST_BUNDLES = bundles.stdout.trim();
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', ...reporters, '--test-concurrency=2', ...files],
  { stdio: 'inherit', env },
);
rmSync(runTmp, { recursive: true, force: true });
process.exit(result.status ?? 1);
