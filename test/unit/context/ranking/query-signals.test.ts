import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractQuerySignals, pathMatchesMention } from '../../../../extension/core/context/ranking/query-signals.js';

test('JavaScript stack frames give paths, lines and function names', () => {
  const s = extractQuerySignals('TypeError: x is undefined\n    at parseDate (src/bar.js:12:3)\n    at Object.<anonymous> (/home/u/app/lib/utils.ts:40:7)\n    at /home/u/app/index.js:3:1');
  assert.deepEqual(s.frames.map((f) => [f.path, f.line]), [['src/bar.js', 12], ['home/u/app/lib/utils.ts', 40], ['home/u/app/index.js', 3]]);
  assert.equal(s.frames[0]?.fn, 'parseDate');
  assert.ok(s.identifiers.includes('parseDate'));
  assert.ok(s.files.includes('src/bar.js'));
});

test('Python tracebacks give paths, lines and functions', () => {
  const s = extractQuerySignals('Traceback (most recent call last):\n  File "pkg/core/models.py", line 88, in save_model\n    raise ValueError');
  assert.deepEqual(s.frames, [{ path: 'pkg/core/models.py', line: 88, fn: 'save_model', innermostLast: true }]);
  assert.ok(s.identifiers.includes('save_model'));
});

test('identifiers come from backticks, calls, dotted names, camelCase and snake_case; plain words do not', () => {
  const s = extractQuerySignals('When I call `dayjs.utc()` then Foo.bar() and use customParseFormat with max_width, the result is wrong');
  for (const id of ['dayjs', 'utc', 'Foo', 'bar', 'customParseFormat', 'max_width']) assert.ok(s.identifiers.includes(id), id);
  for (const word of ['When', 'result', 'wrong']) assert.ok(!s.identifiers.includes(word), word);
});

test('file names mentioned in prose are picked up, URLs are not paths', () => {
  const s = extractQuerySignals('The bug is in someFile.js (see lib/router/layer.js:42), docs at https://example.com/x.html');
  assert.ok(s.files.includes('someFile.js'));
  assert.ok(s.files.includes('lib/router/layer.js'));
  assert.ok(!s.files.some((f) => f.includes('example.com')));
});

test('mentions match workspace paths by suffix, not by substring', () => {
  assert.ok(pathMatchesMention('src/bar.js', 'bar.js'));
  assert.ok(pathMatchesMention('src/bar.js', 'home/u/app/src/bar.js'));
  assert.ok(!pathMatchesMention('src/foobar.js', 'bar.js'));
});

test('IPython tracebacks give paths under a home directory, lines and qualified functions', () => {
  const s = extractQuerySignals('File ~/code/pkg/pkg/_core/plot.py:265, in Plot._repr_png_(self)\nFile ~/code/pkg/pkg/_stats/fit.py:30, in PolyFit._fit_predict(self, data)');
  assert.deepEqual(s.frames.map((f) => [f.path, f.line, f.fn, f.innermostLast]), [['code/pkg/pkg/_core/plot.py', 265, 'Plot._repr_png_', true], ['code/pkg/pkg/_stats/fit.py', 30, 'PolyFit._fit_predict', true]]);
  assert.ok(s.identifiers.includes('_fit_predict'));
});
