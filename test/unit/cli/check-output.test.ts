// How a check run reads in the terminal: one line, and for a failure the end of its output, escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCheckEvent } from '../../../extension/cli/check-output.js';

const event = { type: 'check' as const, name: 'npm test', command: 'npm test', after: 'edit' as const, exitCode: 1, durationMs: 1500, reason: undefined };

test('a pass is one line; a failure adds the last lines of its output, colours stripped and controls escaped', () => {
  assert.equal(formatCheckEvent({ ...event, status: 'passed', passed: true, exitCode: 0, preview: 'ok' }).trim(), '[check npm test after edit: passed, 1.5 s]');
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
  const out = formatCheckEvent({ ...event, status: 'failed', passed: false, preview: `\u001b[31m${lines}\u001b[0m\rX` });
  assert.match(out, /^\n\[check npm test after edit: FAILED \(exit 1\), 1\.5 s\]\n {2}… 15 earlier lines/);
  assert.match(out, / {2}! line 29/);
  assert.ok(!out.includes('\u001b') && !out.includes('\r'), 'no escape or carriage return is left');
});

test('not run: the reason, no time', () => {
  assert.equal(formatCheckEvent({ ...event, after: 'done', status: 'not_run', passed: false, exitCode: null, durationMs: 0, preview: '', reason: 'denied by the permission rules (deny shell(npm *))' }).trim(), '[check npm test before done: not run - denied by the permission rules (deny shell(npm *))]');
});
