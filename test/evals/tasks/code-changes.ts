// Eval tasks that change code: fix, add, rename, create, configure, delete, document, recover from a failing command.
import type { EvalTask } from '../lib/types.js';
import { expectations, toolCalls } from '../lib/types.js';
import { call, lastMessage } from '../lib/run-task.js';

const run = (command: string) => ({ toolCalls: [call('shell__run_command', { command })] });
const read = (path: string) => ({ toolCalls: [call('workspace__read_file', { path })] });
const edit = (path: string, edits: { search: string; replace: string }[]) => ({ toolCalls: [call('workspace__propose_edit', { path, edits })] });
const write = (path: string, content: string) => ({ toolCalls: [call('workspace__propose_edit', { path, content })] });
const answer = (text: string) => ({ text });

export const codeChangeTasks: EvalTask[] = [
  {
    name: 'fix-off-by-one',
    files: {
      'src/sum.js': 'function sumTo(n) {\n  let total = 0;\n  for (let i = 1; i < n; i++) total += i;\n  return total;\n}\nmodule.exports = { sumTo };\n',
      'test/sum.test.js': "const assert = require('node:assert');\nconst { sumTo } = require('../src/sum.js');\nassert.equal(sumTo(4), 10);\nconsole.log('sum ok');\n",
    },
    task: 'sumTo(n) in src/sum.js should add 1..n inclusive, and `node test/sum.test.js` fails. Fix the bug.',
    script: [run('node test/sum.test.js'), read('src/sum.js'), edit('src/sum.js', [{ search: 'i < n', replace: 'i <= n' }]), run('node test/sum.test.js'), answer('Fixed the loop bound; the test prints sum ok.')],
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      const t = c.node('test/sum.test.js');
      e.that(t.code === 0 && t.output.includes('sum ok'), `the test still fails: ${t.output.slice(0, 200)}`);
      return e.problems;
    },
  },
  {
    name: 'add-function-with-test',
    files: { 'src/strings.js': 'function capitalize(s) {\n  return s.charAt(0).toUpperCase() + s.slice(1);\n}\nmodule.exports = { capitalize };\n' },
    task: 'Add reverse(s) to src/strings.js (exported, returns the string reversed) and a test for it in test/strings.test.js that runs with plain `node`.',
    script: [
      read('src/strings.js'),
      edit('src/strings.js', [{ search: 'module.exports = { capitalize };', replace: "function reverse(s) {\n  return s.split('').reverse().join('');\n}\nmodule.exports = { capitalize, reverse };" }]),
      write('test/strings.test.js', "const assert = require('node:assert');\nconst { reverse } = require('../src/strings.js');\nassert.equal(reverse('abc'), 'cba');\nconsole.log('strings ok');\n"),
      run('node test/strings.test.js'),
      answer('Added reverse() with a test.'),
    ],
    check(c) {
      const e = expectations();
      const fn = c.node('-e', "const { reverse, capitalize } = require('./src/strings.js'); if (reverse('abc') !== 'cba' || capitalize('x') !== 'X') process.exit(1)");
      e.that(fn.code === 0, `reverse() is missing or wrong: ${fn.output.slice(0, 200)}`);
      const test = c.read('test/strings.test.js');
      e.that(test?.includes('reverse'), 'test/strings.test.js does not test reverse');
      e.that(test !== undefined && c.node('test/strings.test.js').code === 0, 'test/strings.test.js does not pass');
      return e.problems;
    },
  },
  {
    name: 'rename-across-files',
    files: {
      'src/users.js': "function getUser(id) {\n  return { id, name: 'user' + id };\n}\nmodule.exports = { getUser };\n",
      'src/api.js': "const { getUser } = require('./users.js');\nfunction handle(id) {\n  return getUser(id).name;\n}\nmodule.exports = { handle };\n",
      'src/index.js': "const { handle } = require('./api.js');\nconsole.log(handle(7));\n",
    },
    task: 'Rename getUser to fetchUser everywhere in src/. The program (`node src/index.js`) must keep working.',
    script: [
      { toolCalls: [call('workspace__search_text', { query: 'getUser' })] },
      edit('src/users.js', [
        { search: 'function getUser(id)', replace: 'function fetchUser(id)' },
        { search: 'module.exports = { getUser };', replace: 'module.exports = { fetchUser };' },
      ]),
      write('src/api.js', "const { fetchUser } = require('./users.js');\nfunction handle(id) {\n  return fetchUser(id).name;\n}\nmodule.exports = { handle };\n"),
      run('node src/index.js'),
      answer('Renamed getUser to fetchUser in src/users.js and src/api.js.'),
    ],
    check(c) {
      const e = expectations();
      for (const f of ['src/users.js', 'src/api.js', 'src/index.js']) e.that(!c.read(f)?.includes('getUser'), `${f} still mentions getUser`);
      e.that(c.read('src/users.js')?.includes('function fetchUser'), 'src/users.js does not define fetchUser');
      const r = c.node('src/index.js');
      e.that(r.code === 0 && r.output.trim() === 'user7', `node src/index.js: ${r.output.slice(0, 200)}`);
      return e.problems;
    },
  },
  {
    name: 'create-module',
    files: { 'package.json': '{"name":"slug","version":"1.0.0"}\n' },
    task: 'Create src/slugify.js exporting slugify(text) (CommonJS): lowercase; runs of spaces and punctuation become one dash; no leading or trailing dash.',
    script: [
      { toolCalls: [call('workspace__find_files', { pattern: '**/*.js' })] },
      write('src/slugify.js', "function slugify(text) {\n  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');\n}\nmodule.exports = { slugify };\n"),
      run(`node -e "console.log(require('./src/slugify.js').slugify('Hello, World!'))"`),
      answer('Created src/slugify.js.'),
    ],
    check(c) {
      const e = expectations();
      const r = c.node('-e', "const { slugify } = require('./src/slugify.js'); const ok = slugify('Hello, World!') === 'hello-world' && slugify('  A  b ') === 'a-b'; process.exit(ok ? 0 : 1)");
      e.that(r.code === 0, `slugify is missing or wrong: ${r.output.slice(0, 200)}`);
      return e.problems;
    },
  },
  {
    name: 'edit-json-config',
    files: { 'config.json': '{\n  "port": 3000,\n  "debug": true\n}\n' },
    task: 'In config.json set port to 8080, turn debug off, and add "logLevel": "warn". Keep it valid JSON.',
    script: [read('config.json'), write('config.json', '{\n  "port": 8080,\n  "debug": false,\n  "logLevel": "warn"\n}\n'), answer('Updated config.json.')],
    check(c) {
      const e = expectations();
      let value: Record<string, unknown> = {};
      try {
        value = JSON.parse(c.read('config.json') ?? '') as Record<string, unknown>;
      } catch {
        e.that(false, 'config.json is not valid JSON');
      }
      e.that(value.port === 8080 && value.debug === false && value.logLevel === 'warn', `config.json holds ${JSON.stringify(value)}`);
      return e.problems;
    },
  },
  {
    name: 'delete-dead-code',
    files: {
      'src/util.js': 'function double(x) {\n  return x * 2;\n}\n\nfunction unusedHelper() {\n  return 42;\n}\n\nmodule.exports = { double };\n',
      'src/main.js': "const { double } = require('./util.js');\nconsole.log(double(4));\n",
    },
    task: 'Remove the unused function unusedHelper from src/util.js; `node src/main.js` must still print 8.',
    script: [
      { toolCalls: [call('workspace__search_text', { query: 'unusedHelper' })] },
      edit('src/util.js', [{ search: 'function unusedHelper() {\n  return 42;\n}\n\n', replace: '' }]),
      run('node src/main.js'),
      answer('Removed unusedHelper; main still prints 8.'),
    ],
    check(c) {
      const e = expectations();
      e.that(!c.read('src/util.js')?.includes('unusedHelper'), 'unusedHelper is still there');
      const r = c.node('src/main.js');
      e.that(r.code === 0 && r.output.trim() === '8', `node src/main.js: ${r.output.slice(0, 200)}`);
      return e.problems;
    },
  },
  {
    name: 'document-from-code',
    files: {
      'src/orders.js': 'function createOrder(customerId, items, options = {}) {\n  return { customerId, items, ...options };\n}\nmodule.exports = { createOrder };\n',
      'README.md': '# orders\n\n## API\n\nTODO\n',
    },
    task: "Replace the TODO under ## API in README.md with createOrder's exact signature and one sentence on what it does.",
    script: [
      read('src/orders.js'),
      read('README.md'),
      edit('README.md', [{ search: 'TODO', replace: '`createOrder(customerId, items, options = {})` returns a new order for the customer with the given items.' }]),
      answer('Documented createOrder in the README.'),
    ],
    check(c) {
      const e = expectations();
      const readme = c.read('README.md') ?? '';
      e.that(readme.includes('createOrder(customerId, items'), 'README does not give the signature');
      e.that(!readme.includes('TODO'), 'the TODO is still there');
      return e.problems;
    },
  },
  {
    name: 'failing-command-then-fix',
    files: {
      'src/greet.js': "function greet(name) {\n  return 'Hello ' + name;\n}\nmodule.exports = { greet };\n",
      'test/greet.test.js': "const assert = require('node:assert');\nconst { greet } = require('../src/greet.js');\nassert.equal(greet('Ada'), 'Hello, Ada!');\nconsole.log('greet ok');\n",
    },
    task: 'Make `node test/greet.test.js` pass.',
    // A model that reacts to what it sees: it runs the test, and fixes only after seeing it fail.
    script: (request) => {
      const last = lastMessage(request);
      const messages = (request.body?.messages ?? []) as { role?: string }[];
      if (!messages.some((m) => m.role === 'tool')) return run('node test/greet.test.js');
      if (last.includes('greet ok')) return answer('The test passes now.');
      if (last.includes('AssertionError')) return read('src/greet.js');
      if (last.startsWith('Applied the edit')) return run('node test/greet.test.js');
      if (last.includes("return 'Hello ' + name;")) return edit('src/greet.js', [{ search: "return 'Hello ' + name;", replace: "return 'Hello, ' + name + '!';" }]);
      return answer(`Unexpected observation: ${last.slice(0, 80)}`);
    },
    check(c) {
      const e = expectations();
      e.that(c.node('test/greet.test.js').code === 0, 'the test still fails');
      if (c.scripted) e.that(toolCalls(c.events, 'shell.run_command').length === 2, 'expected the test to run before and after the fix');
      return e.problems;
    },
  },
];
