// Claude Code's hook output protocol: exit codes and JSON fields, and that a failure decides nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretHookRun } from '../../../../extension/core/agent/hooks/output.js';
import type { CappedRunResult } from '../../../../extension/core/sandbox/capped-run.js';

const run = (over: Partial<CappedRunResult>): CappedRunResult => ({ exitCode: 0, timedOut: false, cancelled: false, stdout: '', stderr: '', truncated: false, outputBytes: 0, durationMs: 1, sandboxed: true, ...over });

test('exit 2 blocks with stderr; other exits, timeouts and crashes are errors that decide nothing', () => {
  assert.deepEqual(interpretHookRun('PreToolUse', run({ exitCode: 2, stderr: 'no\n' }), 60), { outcome: 'block', message: 'no' });
  assert.equal(interpretHookRun('PreToolUse', run({ exitCode: 1, stderr: 'oops' }), 60).outcome, 'error');
  const timedOut = interpretHookRun('PreToolUse', run({ exitCode: null, timedOut: true, stdout: '{"decision":"block"}' }), 5);
  assert.deepEqual(timedOut, { outcome: 'error', message: 'killed after its timeout of 5s' });
  assert.equal(interpretHookRun('Stop', run({ exitCode: null }), 5).outcome, 'error');
  assert.equal(interpretHookRun('Stop', run({ exitCode: null, spawnError: 'no bash' }), 5).outcome, 'error');
});

test('JSON on exit 0: decision, permissionDecision, additionalContext and continue:false', () => {
  const deny = interpretHookRun('PreToolUse', run({ stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'not here' } }) }), 60);
  assert.deepEqual(deny.permission, { decision: 'deny', reason: 'not here' });
  assert.deepEqual(interpretHookRun('PreToolUse', run({ stdout: '{"decision":"approve","reason":"fine"}' }), 60).permission, { decision: 'allow', reason: 'fine' });
  assert.deepEqual(interpretHookRun('Stop', run({ stdout: '{"decision":"block","reason":"tests first"}' }), 60), { outcome: 'block', message: 'tests first' });
  assert.equal(interpretHookRun('UserPromptSubmit', run({ stdout: '{"hookSpecificOutput":{"additionalContext":"ctx"}}' }), 60).context, 'ctx');
  assert.equal(interpretHookRun('PostToolUse', run({ stdout: '{"continue":false,"stopReason":"enough"}' }), 60).stop, 'enough');
  assert.equal(interpretHookRun('PreToolUse', run({ stdout: '{"hookSpecificOutput":{"permissionDecision":"maybe"}}' }), 60).outcome, 'error');
});

test('plain stdout is context for SessionStart and UserPromptSubmit only', () => {
  assert.equal(interpretHookRun('SessionStart', run({ stdout: 'branch: main\n' }), 60).context, 'branch: main');
  assert.equal(interpretHookRun('PreToolUse', run({ stdout: 'branch: main\n' }), 60).context, undefined);
  assert.equal(interpretHookRun('UserPromptSubmit', run({ stdout: '{not json' }), 60).context, '{not json');
});
