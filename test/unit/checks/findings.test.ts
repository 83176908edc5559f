// The file:line findings read from real outputs (test/unit/checks/outputs/: node:test TAP and spec, tsc plain and
// pretty and eslint stylish and pytest as those tools printed them here; jest, vitest and mocha in their documented
// shapes), and the digest the model gets: pass/fail, findings, the tail, within its cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFindings, formatFinding } from '../../../extension/core/checks/findings.js';
import { digestCheck, digestChecks } from '../../../extension/core/checks/digest.js';
import type { CheckRun } from '../../../extension/core/checks/types.js';

const output = (name: string) => readFileSync(join(__dirname, 'outputs', name), 'utf8');
const found = (name: string, root?: string) => extractFindings(output(name), root).map(formatFinding);

test('node:test, spec reporter: each failing test with the assertion and the line it failed at, suites and the repeat summary left out', () => {
  assert.deepEqual(found('node-spec.txt', '/tmp/chk-sample'), [
    'test/sum.test.js:5:10 test "adds two numbers": AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: | 4 !== 3',
    'test/sum.test.js:9:42 test "nested fails": AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal: | + actual - expected | { | +   a: 1 | -   a: 2',
  ]);
});

test('node:test, TAP reporter: the same failures from the YAML blocks; the suite\'s "subtests failed" is not one', () => {
  assert.deepEqual(found('node-tap.txt', '/tmp/chk-sample'), [
    'test/sum.test.js:5:10 test "adds two numbers": Expected values to be strictly equal: | 4 !== 3',
    'test/sum.test.js:9:42 test "nested fails": Expected values to be strictly deep-equal: | + actual - expected | { | +   a: 1 | -   a: 2',
  ]);
});

test('tsc, plain and pretty (colours stripped): file, line, column and the TS error', () => {
  const expected = [
    "src/b.ts:2:7: error TS2322: Type 'number' is not assignable to type 'string'.",
    "src/b.ts:3:29: error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.",
  ];
  assert.deepEqual(found('tsc.txt'), expected);
  assert.deepEqual(found('tsc-pretty.txt'), expected);
});

test('eslint stylish: the file heading each group, made workspace-relative, and each problem with its rule', () => {
  assert.deepEqual(found('eslint-stylish.txt', '/tmp/chk-ts'), [
    "bad.js:1:7: error 'x' is assigned a value but never used (no-unused-vars)",
    "bad.js:2:10: error 'f' is defined but never used (no-unused-vars)",
    "bad.js:2:23: warning 'y' is not defined (no-undef)",
  ]);
});

test('jest, vitest and mocha: the failing test, its message and the frame in the test file', () => {
  assert.deepEqual(found('jest.txt'), ['src/sum.test.js:6:23 test "sum › adds two numbers": expect(received).toBe(expected) // Object.is equality | Expected: 3 | Received: 4']);
  const v = found('vitest.txt');
  assert.equal(v.length, 1);
  assert.match(v[0]!, /^src\/sum\.test\.ts:6:23 test "sum > adds two numbers": AssertionError: expected 4 to be 3/);
  const m = found('mocha.txt');
  assert.equal(m.length, 1);
  assert.match(m[0]!, /^test\/sum\.spec\.js:6:12 test "sum adds two numbers": AssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal: \| 4 !== 3/);
});

test('pytest: the failing test with its E lines and the line of the assertion', () => {
  assert.deepEqual(found('pytest.txt'), ['test_sum.py:5 test "test_add": assert 4 == 3 | +  where 4 = add(1, 2)']);
});

test('anything else: the generic path:line:col pattern; stack frames and URLs are not findings', () => {
  const text = 'main.c:12:5: error: expected ; before }\nlib/util.go:7: undefined: foo\n    at Object.<anonymous> (/x/y.js:1:1)\nsee https://example.com:443/a for help\n';
  assert.deepEqual(extractFindings(text).map(formatFinding), ['main.c:12:5: error: expected ; before }', 'lib/util.go:7: undefined: foo']);
});

const run = (over: Partial<CheckRun>): CheckRun => ({ name: 'test', command: 'npm test', source: 'user', moment: 'edit', status: 'failed', exitCode: 1, durationMs: 1234, timeoutMs: 120_000, output: '', outputBytes: 0, truncated: false, sandboxed: true, ...over });

test('the digest: a pass is one line; a failure has the exit code, the findings first, then the tail with node internals left out', () => {
  assert.equal(digestCheck(run({ status: 'passed', exitCode: 0 }), 1500), 'Check "test" (`npm test`) passed in 1.2 s.');
  const d = digestCheck(run({ output: output('node-spec.txt') }), 1500, '/tmp/chk-sample');
  assert.match(d, /^Check "test" \(`npm test`\) FAILED: exit code 1 after 1\.2 s\.\nFailures and errors it reported:\n- test\/sum\.test\.js:5:10 test "adds two numbers"/);
  assert.match(d, /The end of its output:|Its output:/);
  assert.doesNotMatch(d, /node:internal/, 'node\'s own frames are noise');
  assert.doesNotMatch(d, /\/tmp\/chk-sample\//, 'paths are workspace-relative');
});

test('the digest stays within its cap whatever the output, and keeps the end (where the error usually is)', () => {
  const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'z'.repeat(80)}`);
  const d = digestCheck(run({ output: `${lines.join('\n')}\nsrc/last.js:9:1 error: boom\n`, outputBytes: 4_600_000, truncated: true }), 1500);
  assert.ok(d.length <= 1500 * 4, `${d.length} characters`);
  assert.match(d, /It printed 4\.4 MB; only the start and the end were kept/);
  assert.match(d, /src\/last\.js:9:1 error: boom\s*$/);
  assert.match(d, /- src\/last\.js:9:1: error: boom/);
});

test('timed out, not found, not run: each says so in words the model can act on', () => {
  assert.match(digestCheck(run({ status: 'timed_out', exitCode: null, timeoutMs: 5000 }), 500), /TIMED OUT: it was still running after 5\.0 s and was killed/);
  assert.match(digestCheck(run({ status: 'not_found', reason: 'jestt: command not found' }), 500), /could not run: jestt: command not found\. This is a problem with the check's configuration/);
  assert.equal(digestCheck(run({ status: 'not_run', reason: 'denied by the permission rules (deny shell(npm *)): no npm' }), 500), 'Check "test" (`npm test`) was NOT RUN: denied by the permission rules (deny shell(npm *)): no npm. Its result is unknown.');
});

test('several checks share one cap; a secret a check printed is redacted before the model sees it', () => {
  const big = Array.from({ length: 5000 }, (_, i) => `noise ${i}`).join('\n');
  const all = digestChecks([run({ name: 'a', output: big }), run({ name: 'b', output: big }), run({ name: 'c', status: 'passed', exitCode: 0 })], 'Checks:');
  assert.ok(all.length <= 1600 * 4, `${all.length} characters`);
  assert.match(all, /Check "c" .* passed/);
  const secret = digestCheck(run({ output: 'config: OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD\n' }), 500);
  assert.doesNotMatch(secret, /sk-proj-abcdefghijklmnop/);
  assert.match(secret, /REDACTED/);
});
