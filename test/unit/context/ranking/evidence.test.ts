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

test('a trace through built per-module files maps each frame to its module directory, innermost first', async () => {
  root = writeTree({
    'package.json': '{"name":"timekit","main":"timekit.min.js"}',
    'src/index.js': "import { C } from './constant';\nexport default function timekit(d) { return new Kit(d); }\nclass Kit { constructor(d) { this.d = parse(d); } }\n",
    'src/constant.js': "export const C = { INVALID: 'Invalid Date' };\n",
    'src/plugin/objectInput/index.js': 'export default (o, c) => {\n  const proto = c.prototype;\n  proto.parse = function (cfg) { cfg.date = fromObject(cfg.date.constructor); };\n};\n',
    'src/plugin/prePost/index.js': 'export default (o, c) => {\n  const old = c.prototype.parse;\n  c.prototype.parse = function (cfg) { old.call(this, cfg); };\n};\n',
    'src/plugin/zone/index.js': 'export default (o, c) => {\n  c.prototype.parse = function (cfg) { return cfg; };\n};\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({
    text: [
      '`timekit(null)` throws instead of returning an invalid date',
      '```',
      "objectInput.js:1 Uncaught TypeError: Cannot read properties of null (reading 'constructor')",
      '    at M.r (objectInput.js:1:412)',
      '    at i.parse (objectInput.js:1:887)',
      '    at e.parse (prePost.js:1:447)',
      '    at new M (timekit.min.js:1:2038)',
      'r @ objectInput.js:1',
      '```',
    ].join('\n'),
    top: 4,
  });
  assert.equal(ranked[0]?.path, 'src/plugin/objectInput/index.js');
  assert.ok(ranked[0]!.reasons.some((r) => r.includes('innermost frame')), ranked[0]!.reasons.join('; '));
  assert.ok(ranked.findIndex((r) => r.path === 'src/plugin/prePost/index.js') > 0, 'the outer frame follows');
  assert.ok(!ranked[0]!.reasons.some((r) => r.includes('defines `parse`')), 'a minified frame name is not a definition to look for');
});

test("names the issue's code declares for itself or only registers do not rank the files defining them", async () => {
  root = writeTree({
    'lib/router/index.js': 'function next(err) {\n  if (err) return done(err);\n  layer.handle(req, res, next);\n}\nfunction req() {}\nmodule.exports = { next, req };\n',
    'lib/router/layer.js': 'Layer.prototype.handle = function handle(req, res, next) {\n  const fn = this.handle;\n  try {\n    fn(req, res, next);\n  } catch (err) {\n    next(err);\n  }\n};\n',
    'lib/response.js': 'res.send = function send(body) {\n  return this.end(body);\n};\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const issue = 'Errors thrown in an async handler are not caught by the layer\n```js\napp.get("/", async function (req, res, next) {\n  let result;\n  try { result = await something(); } catch (err) { next(err); }\n  res.send(result);\n})\n```';
  const ranked = index.rank({ text: issue, top: 3 });
  assert.equal(ranked[0]?.path, 'lib/router/layer.js');
  const router = ranked.find((r) => r.path === 'lib/router/index.js');
  assert.ok(!router?.reasons.some((r) => r.includes('`next`')), router?.reasons.join('; '));
  const response = ranked.find((r) => r.path === 'lib/response.js');
  assert.ok(response?.reasons.some((r) => r.includes('`send`')), 'a member the code calls still names its definer');
});

test('an import for its side effect only ranks below the module whose API the code calls', async () => {
  root = writeTree({
    'package.json': '{"name":"timekit","main":"src/index.js"}',
    'src/index.js': 'export default function timekit() {}\ntimekit.extend = (p) => p();\ntimekit.locale = (l) => l;\n',
    'src/plugin/span/index.js': 'export default (o, c, kit) => {\n  kit.span = (ms) => new Span(ms);\n  class Span { humanize() { return "a day"; } }\n};\n',
    'src/locale/zh.js': "export default { name: 'zh', relativeTime: { d: '1 天' } };\n",
    'src/locale/de.js': "export default { name: 'de', relativeTime: { d: 'ein Tag' } };\n",
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({
    text: "How do I get humanize() in my language?\n```js\nimport timekit from 'timekit'\nimport span from 'timekit/plugin/span'\nimport 'timekit/locale/zh'\ntimekit.extend(span)\ntimekit.span(86400000).humanize() // ' a day'\n```",
    top: 4,
  });
  assert.equal(ranked[0]?.path, 'src/plugin/span/index.js');
  const locale = ranked.find((r) => r.path === 'src/locale/zh.js');
  assert.ok(locale?.reasons.includes('imported in the issue as `timekit/locale/zh` (for its side effect)'), locale?.reasons.join('; '));
  assert.ok(ranked.findIndex((r) => r.path === 'src/locale/zh.js') > 0);
});

test("a file whose name's words the issue says in order ranks above one sharing a single word", async () => {
  root = writeTree({
    'api/weekly.js': "const { renderWeeklyCard } = require('../src/cards/weekly-card');\n// The layout (compact or not) and the bar width are passed through.\nmodule.exports = (req, res) => {\n  const { layout, width } = req.query;\n  res.send(renderWeeklyCard(req.query, { layout, width }));\n};\n",
    'src/cards/weekly-card.js': 'const renderWeeklyCard = (stats, opts) => {\n  const w = opts.layout === "compact" ? 300 : 495;\n  return `<svg width="${w}">${stats}</svg>`;\n};\nmodule.exports = { renderWeeklyCard };\n',
    'src/cards/stats-card.js': 'const renderStatsCard = (stats) => `<svg>${stats}</svg>`;\nmodule.exports = { renderStatsCard };\n',
    'src/cards/pin-card.js': 'const renderPinCard = (repo) => `<svg>${repo.name}</svg>`;\nmodule.exports = { renderPinCard };\n',
    'api/pin.js': "const { renderPinCard } = require('../src/cards/pin-card');\nmodule.exports = (req, res) => res.send(renderPinCard(req.query));\n",
    'src/common/utils.js': 'const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));\nmodule.exports = { clamp };\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: "The progress bar breaks\nIn the weekly card, if the layout is compact, the bar doesn't fill the whole width.", top: 3 });
  assert.equal(ranked[0]?.path, 'src/cards/weekly-card.js');
  assert.ok(ranked[0]!.reasons.some((r) => r.includes('(its name, words in order)')), ranked[0]!.reasons.join('; '));
  assert.ok(!ranked.find((r) => r.path === 'api/weekly.js')?.reasons.some((r) => r.includes('words in order')));
});

test("a link's path names the route the workspace serves, and its query's keys the files reading them", async () => {
  root = writeTree({
    'api/index.js': "const { renderStats } = require('../src/stats');\nmodule.exports = (req, res) => res.send(renderStats(req.query));\n",
    'api/pin.js': "const { renderPin } = require('../src/pin');\nmodule.exports = (req, res) => res.send(renderPin(req.query));\n",
    'src/stats.js': 'const renderStats = ({ ring_color }) => `<svg stroke="${ring_color}"></svg>`;\nmodule.exports = { renderStats };\n',
    'src/pin.js': 'const renderPin = ({ repo }) => `<svg>${repo}</svg>`;\nmodule.exports = { renderPin };\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'Colour of the circle\nI would like to change it: ![](https://stats.example.app/api/pin/?username=me&ring_color=fff)', top: 4 });
  const pin = ranked.find((r) => r.path === 'api/pin.js');
  assert.ok(pin?.reasons.some((r) => r.includes("a route in the issue's link: `api/pin`")), JSON.stringify(ranked.map((r) => [r.path, r.reasons])));
  const stats = ranked.find((r) => r.path === 'src/stats.js');
  assert.ok(stats?.reasons.some((r) => r.includes('`ring_color`')), JSON.stringify(ranked.map((r) => [r.path, r.reasons])));
});

test("a code name in the issue's prose that is a module's own name ranks that module above the core it extends", async () => {
  root = writeTree({
    'package.json': '{"name":"timekit","main":"src/index.js"}',
    'src/index.js': "import { C } from './constant';\nclass Kit {\n  format(f) { return f ? C.FORMAT : C.INVALID; }\n}\nexport default function timekit(d, f) { return new Kit(d, f); }\ntimekit.extend = (plugin) => plugin(Kit);\n",
    'src/constant.js': "export const C = { INVALID: 'Invalid Date', FORMAT: 'YYYY-MM-DD' };\n",
    'src/plugin/customFormat/index.js': 'export default (Kit) => {\n  const parse = Kit.prototype.parse;\n  Kit.prototype.parse = function (cfg) { return parse.call(this, cfg); };\n};\n',
    'src/plugin/relative/index.js': 'export default (Kit) => {\n  Kit.prototype.fromNow = function () { return this.format(); };\n};\n',
  });
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: "[Bug]customFormat zone error\n```\ntimekit('2001 +08:00', 'YYYY Z').format()\n// Invalid Date\n```", top: 3 });
  assert.equal(ranked[0]?.path, 'src/plugin/customFormat/index.js');
  assert.ok(ranked[0]!.reasons.includes("the issue's prose names the module `customFormat`"), ranked[0]!.reasons.join('; '));
});
