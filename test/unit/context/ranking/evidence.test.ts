// One test per kind of evidence the ranking reads from an issue, each on a small tree shaped like a real project.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkspaceIndex } from '../../../../extension/core/context/index/workspace-index.js';
import { removeTree, writeTree } from '../index/tree.js';

let root = '';
afterEach(() => removeTree(root));

const PY_PROJECT = {
  'pkg/__init__.py': 'from .api import read\n',
  'pkg/api.py': 'from pkg.io.formats import reader\n\n\ndef read(path, **kwargs):\n    return reader.read_table(path, **kwargs)\n',
  'pkg/io/__init__.py': '',
  'pkg/io/formats/__init__.py': '',
  'pkg/io/formats/reader.py':
    'import csv\n\n\nclass Reader:\n    pass\n\n\ndef read_table(path, delimiter=","):\n    rows = []\n    with open(path) as f:\n        for row in csv.reader(f, delimiter=delimiter):\n            rows.append(row[3])\n    return rows\n',
  'pkg/io/formats/writer.py': 'def write_table(rows, path):\n    with open(path, "w") as f:\n        f.write("\\n".join(rows))\n',
  'pkg/table.py': 'class Table:\n    def read(self, path):\n        from pkg.api import read\n        return read(path)\n',
  'docs/reading.rst': 'Reading tables\n==============\nUse read_table to read a table from a path.\n',
};

test('a traceback through an installed copy points to the nested module of its innermost frame, at its function', async () => {
  root = writeTree(PY_PROJECT);
  const index = await buildWorkspaceIndex({ root });
  const issue = [
    'Reading a short row fails',
    '```',
    'Traceback (most recent call last):',
    '  File "<stdin>", line 1, in <module>',
    '  File "/usr/lib/python3/site-packages/pkg/api.py", line 5, in read',
    '    return reader.read_table(path, **kwargs)',
    '  File "/usr/lib/python3/site-packages/pkg/io/formats/reader.py", line 12, in read_table',
    '    rows.append(row[3])',
    'IndexError: list index out of range',
    '```',
  ].join('\n');
  const ranked = index.rank({ text: issue, top: 5 });
  assert.equal(ranked[0]?.path, 'pkg/io/formats/reader.py');
  assert.ok(ranked[0]!.reasons.some((r) => r.includes('innermost frame')), ranked[0]!.reasons.join('; '));
  assert.equal(ranked[0]!.symbols.find((s) => s.reasons.includes('stack frame line 12'))?.name, 'read_table');
  assert.equal(ranked[1]?.path, 'pkg/api.py', 'the outer frame follows the inner one');
});

test('a JavaScript trace from node_modules maps to the package source in the workspace', async () => {
  root = writeTree({
    'package.json': '{"name":"fetchy","main":"lib/index.js"}',
    'lib/index.js': "const { send } = require('./core/send');\nmodule.exports = { send };\n",
    'lib/core/send.js': 'function send(req) {\n  const body = req.body;\n  return body.length;\n}\nmodule.exports = { send };\n',
    'lib/core/retry.js': 'function retry(fn) { return fn(); }\nmodule.exports = { retry };\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({
    text: "TypeError: Cannot read properties of undefined (reading 'length')\n    at send (/home/me/app/node_modules/fetchy/lib/core/send.js:3:15)\n    at main (/home/me/app/index.js:4:3)",
  });
  assert.equal(ranked[0]?.path, 'lib/core/send.js');
  assert.ok(ranked[0]!.reasons.some((r) => r.startsWith('in the stack trace')));
});

test('an error message ranks the file that raises it above the file that only logs it', async () => {
  root = writeTree({
    'src/parse.js': "export function parseDate(s) {\n  const m = /^(\\d+)-(\\d+)-(\\d+)$/.exec(s);\n  if (!m) throw new Error('Invalid date format: ' + s + ', expected YYYY-MM-DD');\n  return new Date(+m[1], +m[2] - 1, +m[3]);\n}\n",
    'src/report.js': "import { parseDate } from './parse.js';\nexport function report(rows) {\n  for (const r of rows) {\n    try { parseDate(r.date); } catch (e) { console.warn('Invalid date format: skipped row ' + r.id); }\n  }\n}\n",
    'src/format.js': "export function formatDate(d) { return d.toISOString().slice(0, 10); }\n",
    'test/parse.test.js': "import { parseDate } from '../src/parse.js';\ntest('bad', () => expect(() => parseDate('x')).toThrow('Invalid date format'));\n",
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'Dates with a time part are rejected\n\nI get `Error: Invalid date format: 2020-01-01T10:00, expected YYYY-MM-DD` when loading rows.', top: 5 });
  assert.equal(ranked[0]?.path, 'src/parse.js');
  assert.ok(ranked[0]!.reasons.some((r) => r.startsWith("raises 'Invalid date format'")), ranked[0]!.reasons.join('; '));
  const logger = ranked.find((r) => r.path === 'src/report.js');
  assert.ok(logger, 'the logging file is still a candidate');
  assert.ok(logger.reasons.some((r) => r.startsWith("logs 'Invalid date format'")), logger.reasons.join('; '));
  assert.ok(ranked.findIndex((r) => r.path === 'src/report.js') > 0);
});

test('a vendored copy of a library ranks below the project file of the same name, unless the issue names the copy', async () => {
  const files = {
    'src/url.js': 'export function normalizeUrl(u) {\n  return u.replace(/\\/+$/, "");\n}\n',
    'vendor/urlkit/url.js': 'export function normalizeUrl(u) {\n  return u.trim().replace(/\\/+$/, "");\n}\n',
    'third_party/urlkit/url.js': 'export function normalizeUrl(u) { return u; }\n',
    'src/app.js': "import { normalizeUrl } from './url.js';\nexport const home = normalizeUrl('/');\n",
  };
  root = writeTree(files);
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: '`normalizeUrl` in url.js keeps a trailing slash', top: 5 });
  assert.equal(ranked[0]?.path, 'src/url.js');
  const vendored = ranked.find((r) => r.path === 'vendor/urlkit/url.js');
  assert.ok(vendored?.reasons.some((r) => r.includes('vendored')));
  assert.ok(ranked.findIndex((r) => r.path === 'vendor/urlkit/url.js') > 0);
  const named = index.rank({ text: 'The copy in vendor/urlkit/url.js is out of date: `normalizeUrl` differs', top: 5 });
  assert.equal(named[0]?.path, 'vendor/urlkit/url.js');
});

test('a failing test named in the issue points to the code it tests', async () => {
  root = writeTree({
    'pkg/__init__.py': '',
    'pkg/io/__init__.py': '',
    'pkg/io/rst.py': 'class RST:\n    def __init__(self):\n        self.lines = []\n',
    'pkg/io/html.py': 'class HTML:\n    def __init__(self):\n        self.lines = []\n',
    'pkg/io/tests/__init__.py': '',
    'pkg/io/tests/test_rst.py': 'from pkg.io.rst import RST\n\n\ndef test_header_rows():\n    assert RST().lines == ["a"]\n',
    'pkg/io/tests/test_html.py': 'from pkg.io.html import HTML\n\n\ndef test_header_rows():\n    assert HTML().lines == []\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'CI is red\n\nFAILED pkg/io/tests/test_rst.py::test_header_rows - AssertionError', top: 5 });
  assert.equal(ranked[0]?.path, 'pkg/io/rst.py');
  assert.ok(ranked[0]!.reasons.some((r) => r.startsWith('tested by pkg/io/tests/test_rst.py')), ranked[0]!.reasons.join('; '));
});

test('a test file named in JavaScript points to its subject module', async () => {
  root = writeTree({
    'src/plugin/week/index.js': 'export default function week(o, c) { c.prototype.week = function () { return 1; }; }\n',
    'src/plugin/month/index.js': 'export default function month(o, c) { c.prototype.month = function () { return 1; }; }\n',
    'test/plugin/week.test.js': "import week from '../../src/plugin/week';\nit('week', () => expect(1).toBe(1));\n",
    'test/plugin/month.test.js': "import month from '../../src/plugin/month';\nit('month', () => expect(1).toBe(1));\n",
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'FAIL test/plugin/week.test.js after upgrading', top: 3 });
  assert.equal(ranked[0]?.path, 'src/plugin/week/index.js');
  assert.ok(ranked[0]!.reasons.some((r) => r.includes('week.test.js')));
});

test('modules named by dotted or slashed paths and imports resolve to their files', async () => {
  root = writeTree({
    ...PY_PROJECT,
    'package.json': '{"name":"timekit","main":"dist/timekit.min.js"}',
    'src/index.js': 'export default function timekit() {}\n',
    'src/plugin/utc/index.js': 'export default function plugin() {}\n',
    'src/plugin/tz/index.js': 'export default function plugin() {}\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const dotted = index.rank({ text: 'The reader in `pkg.io.formats.writer` drops the last column', top: 3 });
  assert.equal(dotted[0]?.path, 'pkg/io/formats/writer.py');
  assert.ok(dotted[0]!.reasons.some((r) => r.includes('`pkg.io.formats.writer`')), dotted[0]!.reasons.join('; '));
  const imported = index.rank({ text: "```js\nimport timekit from 'timekit'\nimport utc from 'timekit/plugin/utc'\ntimekit.extend(utc)\n```\nthe offset is lost", top: 3 });
  assert.equal(imported[0]?.path, 'src/plugin/utc/index.js');
  assert.ok(imported.some((r) => r.path === 'src/index.js' && r.reasons.some((x) => x.includes("imported in the issue as `timekit`"))));
});

test('a CLI flag ranks the file that declares it', async () => {
  root = writeTree({
    'bin/cli.js': "const { options } = require('../lib/options');\nrun(options(process.argv));\n",
    'lib/options.js': "module.exports.options = (argv) => yargs(argv).option('max-width', { type: 'number' }).option('quiet', {}).argv;\n",
    'lib/render.js': 'module.exports.render = (rows, o) => rows.map((r) => r.slice(0, o.maxWidth));\n',
    'README.md': '# tool\nRun it.\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'Passing --max-width 0 crashes the tool', top: 3 });
  assert.equal(ranked[0]?.path, 'lib/options.js');
  assert.ok(ranked[0]!.reasons.includes('declares --max-width'));
});

test('a name used in the issue\'s code block ranks the file defining it above the files calling it', async () => {
  root = writeTree({
    'src/money.js': 'export function formatCents(n) {\n  return (n / 100).toFixed(2);\n}\n',
    'src/cart.js': "import { formatCents } from './money.js';\nexport const total = (items) => formatCents(items.reduce((a, i) => a + i.cents, 0));\nexport const line = (i) => formatCents(i.cents) + ' x ' + formatCents(i.qty);\n",
    'src/invoice.js': "import { formatCents } from './money.js';\nexport const invoice = (c) => `Total: ${formatCents(c)} ${formatCents(c)} ${formatCents(c)}`;\n",
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'Negative amounts print wrong\n```js\nformatCents(-5) // "-0.05" expected, got "0.-5"\n```', top: 3 });
  assert.equal(ranked[0]?.path, 'src/money.js');
  assert.ok(ranked[0]!.reasons.some((r) => r.includes("defines `formatCents` (used in the issue's code)")), ranked[0]!.reasons.join('; '));
});

test('the name an error line blames ranks its definer first', async () => {
  root = writeTree({
    'pkg/core.py': 'class BaseWriter:\n    def __init__(self, header_rows=None):\n        self.header_rows = header_rows\n\n\ndef get_writer(cls, **kw):\n    return cls(**kw)\n',
    'pkg/rst.py': 'from pkg.core import BaseWriter\n\n\nclass RST(BaseWriter):\n    def __init__(self):\n        super().__init__()\n',
    'pkg/fixed.py': 'from pkg.core import BaseWriter\n\n\nclass Fixed(BaseWriter):\n    pass\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({
    text: 'Traceback (most recent call last):\n  File "pkg/core.py", line 7, in get_writer\n    return cls(**kw)\nTypeError: RST.__init__() got an unexpected keyword argument \'header_rows\'',
    top: 3,
  });
  assert.equal(ranked[0]?.path, 'pkg/rst.py');
  assert.ok(ranked[0]!.reasons.some((r) => r.includes('`RST` (blamed by the error)')), ranked[0]!.reasons.join('; '));
});

test('a permalink to a source line names the file, and a quoted name in code names a module by its file name', async () => {
  root = writeTree({
    'src/index.js': "import { C } from './constant.js';\nexport default function core() {\n  return C.INVALID;\n}\n",
    'src/constant.js': "export const C = { INVALID: 'Invalid Date' };\n",
    'src/locale/sv.js': "export default { name: 'sv', ordinal: (n) => `${n}e` };\n",
    'src/locale/de.js': "export default { name: 'de', ordinal: (n) => `${n}.` };\n",
    'src/plugin/ordinal/index.js': 'export default function ordinal() {}\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const linked = index.rank({ text: 'The fallback string is fixed here: https://github.com/someone/timekit/blob/0fdac93/src/constant.js#L1 can it be changed?', top: 3 });
  assert.equal(linked[0]?.path, 'src/constant.js');
  assert.ok(linked[0]!.reasons.includes('named in the query (src/constant.js)'), linked[0]!.reasons.join('; '));
  const quoted = index.rank({ text: "Ordinals are wrong\n```js\ntimekit('2019-01-01').locale('sv').format('Do')\n```", top: 3 });
  assert.equal(quoted[0]?.path, 'src/locale/sv.js');
  assert.ok(quoted[0]!.reasons.includes("named as 'sv' in the issue's code"));
});
