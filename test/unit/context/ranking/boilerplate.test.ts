import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripEnvironmentDumps } from '../../../../extension/core/context/ranking/boilerplate.js';

test('a pasted environment dump is dropped with its heading; the issue and its code stay', () => {
  const dump = ['INSTALLED VERSIONS', '------------------', 'commit: None', 'python: 3.8.5 (default)', '[GCC 7.3.0]', 'OS: Linux', 'machine: x86_64', '', 'numpy: 1.19.1', 'pandas: 1.1.0', 'scipy: 1.5.2', 'dask: 2.20.0', 'pip: 20.1.1'];
  const text = ['`Dataset.update` computes chunked arrays', '```python', 'ds.update({"foo": foo})', '```', ...dump, 'Thanks!'].join('\n');
  const out = stripEnvironmentDumps(text);
  assert.ok(out.includes('ds.update({"foo": foo})'));
  assert.ok(out.includes('`Dataset.update` computes chunked arrays'));
  assert.ok(out.includes('Thanks!'));
  for (const gone of ['INSTALLED VERSIONS', 'numpy: 1.19.1', 'machine: x86_64', '[GCC 7.3.0]']) assert.ok(!out.includes(gone), gone);
});

test('a short config snippet of key: value lines is kept', () => {
  const text = 'My config:\n```yaml\nweekStart: 1\nlocale: sv\nstrict: true\n```\nbreaks parsing';
  assert.equal(stripEnvironmentDumps(text), text);
});

test('a dump with Windows line endings inside a details block is dropped with its summary', () => {
  const text = ['Chunked arrays compute', '', '**Environment**:', '', '<details><summary>Output of <tt>xr.show_versions()</tt></summary>', '', '```', 'commit: None', 'python: 3.8.3 (default, Jul  2 2020)', '[Clang 10.0.0 ]', 'OS: Darwin', 'machine: x86_64', 'numpy: 1.19.1', 'pandas: 1.1.0', 'dask: 2.20.0', 'pip: 20.1.1', '```', '</details>'].join('\r\n');
  const out = stripEnvironmentDumps(text);
  assert.ok(out.startsWith('Chunked arrays compute'));
  for (const gone of ['show_versions', 'OS: Darwin', 'pip: 20.1.1']) assert.ok(!out.includes(gone), gone);
});
