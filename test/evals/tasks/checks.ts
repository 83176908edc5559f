// Eval tasks that need the loop closed by checks: a change breaks something, a configured check reports it, and the
// fix follows from what the check said (the scripts react to the digest, they do not know the answer in advance).
import { join } from 'node:path';
import { checkFromCommand } from '../../../extension/core/checks/config.js';
import type { EvalTask } from '../lib/types.js';
import { checkRuns, expectations } from '../lib/types.js';
import { call, lastMessage } from '../lib/run-task.js';
import { repoRoot } from '../../helpers/bundles.js';

const edit = (path: string, search: string, replace: string) => ({ toolCalls: [call('workspace__propose_edit', { path, edits: [{ search, replace }] })] });
const read = (path: string) => ({ toolCalls: [call('workspace__read_file', { path })] });
const answer = (text: string) => ({ text });

const nodeProject = (test: string, files: Record<string, string>) => ({
  'package.json': JSON.stringify({ name: 'eval', version: '1.0.0', private: true, scripts: { test: `node --test --test-reporter=spec ${test}` } }, null, 2) + '\n',
  ...files,
});

/** The failing checks' locations the model was told, as `file:line` strings, in order. */
const reportedAt = (text: string): string[] => [...text.matchAll(/^- (\S+?:\d+)(?::\d+)?\b/gm)].map((m) => m[1]!);

const TSC = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

export const checkTasks: EvalTask[] = [
  {
    name: 'check-fix-what-the-test-reports',
    files: nodeProject('test/', {
      'src/price.js': 'function withTax(cents, rate) {\n  return Math.round(cents * (1 + rate));\n}\nmodule.exports = { withTax };\n',
      'test/price.test.js': "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { withTax } = require('../src/price.js');\n\ntest('adds the tax', () => {\n  assert.equal(withTax(1000, 0.2), 1200);\n});\n\ntest('rounds to whole cents', () => {\n  assert.equal(withTax(999, 0.075), 1074);\n});\n",
    }),
    task: 'Rename the parameter `rate` of withTax in src/price.js to `taxRate`. `npm test` must keep passing.',
    checks: [checkFromCommand('npm test')],
    script: (request) => {
      const last = lastMessage(request);
      // The rename missed one use; the check's report names the test and where it failed.
      if (!last.includes('Check "npm test"')) return edit('src/price.js', 'function withTax(cents, rate) {', 'function withTax(cents, taxRate) {');
      if (/FAILED/.test(last) && /ReferenceError.*: rate is not defined/.test(last) && last.includes('src/price.js:2')) return edit('src/price.js', '(1 + rate)', '(1 + taxRate)');
      return answer('Renamed rate to taxRate; npm test passes.');
    },
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      e.that(c.read('src/price.js')?.includes('taxRate') && !/\brate\b/.test(c.read('src/price.js') ?? ''), 'the parameter is not renamed everywhere');
      e.that(c.node('--test', 'test/').code === 0, 'the tests fail');
      if (c.scripted) e.that(checkRuns(c.events).some((r) => r.status === 'failed') && checkRuns(c.events).at(-1)?.passed, 'the check did not fail and then pass');
      return e.problems;
    },
  },
  {
    name: 'check-fix-the-type-error',
    files: {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2020', module: 'commonjs', types: [] }, include: ['src'] }) + '\n',
      'src/user.ts': 'export interface User {\n  id: number;\n  name: string;\n}\n\nexport function label(u: User): string {\n  return `${u.id}: ${u.name}`;\n}\n',
      'src/main.ts': "import { label } from './user';\n\nexport const first = label({ id: 1, name: 'Ada' });\n",
    },
    task: 'Make User.id a string (ids come from the API as strings now). The project must still type-check.',
    checks: [{ ...checkFromCommand(`node ${TSC} --noEmit -p .`), name: 'typecheck' }],
    sandboxAllowPaths: [join(repoRoot, 'node_modules')],
    script: (request) => {
      const last = lastMessage(request);
      if (!last.includes('Check "typecheck"')) return edit('src/user.ts', '  id: number;', '  id: string;');
      // tsc said where: the caller in src/main.ts still passes a number.
      const where = reportedAt(last);
      if (/FAILED/.test(last) && where.includes('src/main.ts:3')) return edit('src/main.ts', 'label({ id: 1,', "label({ id: '1',");
      return answer('User.id is a string; the caller passes one.');
    },
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      e.that(c.read('src/user.ts')?.includes('id: string'), 'User.id is not a string');
      const tsc = c.node(TSC, '--noEmit', '-p', '.');
      e.that(tsc.code === 0, `tsc fails: ${tsc.output.slice(0, 300)}`);
      return e.problems;
    },
  },
  {
    name: 'check-done-gate-sends-back',
    files: {
      'src/flags.js': "const FLAGS = { darkMode: false };\nmodule.exports = { FLAGS };\n",
      'scripts/verify-flags.js': "const { FLAGS } = require('../src/flags.js');\nconst doc = require('node:fs').readFileSync('FLAGS.md', 'utf8');\nlet bad = 0;\nfor (const name of Object.keys(FLAGS)) if (!doc.includes('`' + name + '`')) { console.error(`FLAGS.md:1:1 error: flag ${name} is not documented`); bad++; }\nprocess.exitCode = bad ? 1 : 0;\n",
      'FLAGS.md': '# Flags\n\n- `darkMode`: the dark theme.\n',
      '.tiller/checks.json': JSON.stringify({ checks: [{ name: 'flags documented', command: 'node scripts/verify-flags.js', after: ['done'] }] }),
    },
    task: 'Add a feature flag `betaSearch` (default false) to src/flags.js.',
    script: (request) => {
      const last = lastMessage(request);
      // The done-gate's report names what is missing; nothing in the task said the flags are documented.
      if (last.includes('flag betaSearch is not documented')) return edit('FLAGS.md', '- `darkMode`: the dark theme.\n', '- `darkMode`: the dark theme.\n- `betaSearch`: the new search, off by default.\n');
      if (!JSON.stringify(request.body.messages).includes('betaSearch: false')) return edit('src/flags.js', 'darkMode: false }', 'darkMode: false, betaSearch: false }');
      return answer('Added betaSearch (off by default).');
    },
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      e.that(c.read('src/flags.js')?.includes('betaSearch: false'), 'the flag is missing');
      e.that(c.node('scripts/verify-flags.js').code === 0, 'the done check still fails');
      if (c.scripted) e.that(checkRuns(c.events).filter((r) => r.after === 'done').map((r) => r.passed).join() === 'false,true', 'the done-gate did not send the task back once');
      return e.problems;
    },
  },
  {
    name: 'check-fix-the-line-the-linter-names',
    files: {
      'src/report.js': "function total(items) {\n  let sum = 0;\n  for (const i of items) sum += i.amount;\n  return sum;\n}\nmodule.exports = { total };\n",
      'scripts/lint.js': "const fs = require('node:fs');\nlet bad = 0;\nfor (const f of fs.readdirSync('src')) {\n  fs.readFileSync('src/' + f, 'utf8').split('\\n').forEach((line, i) => {\n    if (/console\\.log/.test(line)) { console.log(`src/${f}:${i + 1}:${line.indexOf('console') + 1}: error no-console: remove console.log`); bad++; }\n  });\n}\nprocess.exitCode = bad ? 1 : 0;\n",
    },
    task: 'total(items) in src/report.js should skip items without an amount.',
    checks: [{ ...checkFromCommand('node scripts/lint.js'), name: 'lint' }],
    script: (request) => {
      const last = lastMessage(request);
      if (!last.includes('Check "lint"')) return edit('src/report.js', '  for (const i of items) sum += i.amount;', "  for (const i of items) {\n    console.log('item', i);\n    if (typeof i.amount === 'number') sum += i.amount;\n  }");
      // The linter named the line: take it out.
      if (/FAILED/.test(last) && reportedAt(last).includes('src/report.js:4')) return edit('src/report.js', "    console.log('item', i);\n", '');
      return answer('total() skips items without an amount.');
    },
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      e.that(!c.read('src/report.js')?.includes('console.log'), 'the console.log is still there');
      const r = c.node('-e', "const { total } = require('./src/report.js'); process.exit(total([{ amount: 2 }, {}, { amount: 3 }]) === 5 ? 0 : 1)");
      e.that(r.code === 0, 'total() does not skip items without an amount');
      return e.problems;
    },
  },
  {
    name: 'check-fix-both-failures-reported',
    files: nodeProject('test/', {
      'src/text.js': "function words(s) {\n  return s.split(' ');\n}\nfunction initials(s) {\n  return words(s).map((w) => w[0]).join('');\n}\nmodule.exports = { words, initials };\n",
      'test/text.test.js': "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { words, initials } = require('../src/text.js');\n\ntest('words splits on runs of spaces', () => {\n  assert.deepEqual(words('a  b'), ['a', 'b']);\n});\n\ntest('initials are upper case', () => {\n  assert.equal(initials('ada lovelace'), 'AL');\n});\n",
    }),
    task: 'Make the tests in test/text.test.js pass.',
    checks: [checkFromCommand('npm test')],
    script: (request) => {
      const last = lastMessage(request);
      const messages = JSON.stringify(request.body.messages);
      // Read first; the check runs after the first change, and its report lists both failures.
      if (!messages.includes('function words')) return read('src/text.js');
      if (!last.includes('Check "npm test"')) return edit('src/text.js', "s.split(' ')", 's.split(/ +/)');
      if (/FAILED/.test(last) && /initials are upper case/.test(last)) return edit('src/text.js', 'w[0])', 'w[0].toUpperCase())');
      return answer('Both tests pass.');
    },
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      e.that(c.node('--test', 'test/').code === 0, 'the tests fail');
      return e.problems;
    },
  },
  {
    name: 'check-timeout-points-at-the-hang',
    files: nodeProject('test/', {
      'src/retry.js': "async function retry(fn, times) {\n  for (let i = 0; i < times; i++) {\n    try {\n      return await fn();\n    } catch {\n      // try again\n    }\n  }\n  throw new Error('gave up');\n}\nmodule.exports = { retry };\n",
      'test/retry.test.js': "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { retry } = require('../src/retry.js');\n\ntest('gives up after the given number of tries', async () => {\n  let n = 0;\n  await assert.rejects(retry(async () => { n++; throw new Error('x'); }, 3), /gave up/);\n  assert.equal(n, 3);\n});\n",
      '.tiller/checks.json': JSON.stringify({ checks: [{ name: 'test', command: 'npm test', after: ['edit', 'done'], timeoutMs: 4000 }] }),
    }),
    task: 'retry(fn, times) should treat a negative `times` as 0 tries.',
    script: (request) => {
      const last = lastMessage(request);
      // The first attempt loops forever for every call (i is never incremented); the check's deadline says so.
      if (!last.includes('Check "test"')) return edit('src/retry.js', 'for (let i = 0; i < times; i++) {', 'for (let i = 0; i < Math.max(0, times); ) {');
      if (/TIMED OUT/.test(last)) return edit('src/retry.js', 'i < Math.max(0, times); ) {', 'i < Math.max(0, times); i++) {');
      return answer('Negative counts now mean no tries.');
    },
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      e.that(c.node('--test', 'test/').code === 0, 'the tests fail or hang');
      const r = c.node('-e', "require('./src/retry.js').retry(async () => 1, -2).then(() => process.exit(1), () => process.exit(0))");
      e.that(r.code === 0, 'a negative count does not give up at once');
      if (c.scripted) e.that(checkRuns(c.events).some((x) => x.timedOut), 'no check timed out');
      return e.problems;
    },
  },
];
