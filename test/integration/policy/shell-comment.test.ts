// A `#` is a comment for bash only where it begins a word. The grammar also reads one after an escaped blank as a
// comment, so a command substitution behind it looked like commentary and ran (the differential test's seed
// 1492793037 found it). Decided on the effect: bash really runs the hidden command, and Tiller asks.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';

before(() => initShellParser());

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-comment-')));
const engine = () => createPolicyEngine({ workspaceRoots: [root], userRules: { allow: ['shell(echo *)', 'shell(printf *)', 'shell(ls *)', 'shell(npm test)'] } });

test('a # after an escaped blank is no comment to bash: the substitution behind it is not decided, so the line asks', () => {
  for (const line of ['echo "x"\\ # $(touch pwned)', 'printf %s -n "a\\\nb" || ls;\necho -n zap# $\'zap\' "&$"\\ # $(touch pwned)']) {
    const d = engine().decide({ kind: 'shell', command: line, cwd: root });
    assert.equal(d.decision, 'ask', line);
    assert.equal(d.rule, 'builtin: shell analysis', line);
    assert.match(d.reason, /does not read as a comment/);
  }
  // The effect the decision stands for: bash really runs what the grammar took for a comment.
  const dir = fs.mkdtempSync(path.join(root, 'run-'));
  spawnSync('/bin/bash', ['-c', 'echo "x"\\ # $(touch pwned)'], { cwd: dir });
  assert.ok(fs.existsSync(path.join(dir, 'pwned')), 'bash ran the substitution after the escaped blank');
});

test('ordinary comments still allow: after a blank, an operator, at the start of a line', () => {
  for (const line of ['npm test # run the tests', 'echo a;# done', 'ls src # list\necho ok', '# first\necho ok', 'echo x \\# y']) {
    const d = engine().decide({ kind: 'shell', command: line, cwd: root });
    assert.equal(d.decision, 'allow', `${line}: ${d.rule} ${d.reason}`);
  }
});
