// Red team: `xargs CMD` appends arguments read from its standard input, which the text analysis cannot see. When the
// producer lists the workspace (`ls -a`, `find .`), those arguments include `.env`, and an allowed `cat` reads it. The
// sandbox hides `.env` from the run, so the effect is contained where the sandbox runs; without it, the line must not
// be allowed. A producer that only lists directories (`find DIR`, `ls`, `git ls-files`) bounds the appended names to
// every file under them, decided recursively; from any other producer they are unknown and the line asks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';
import { makeWorkspace } from '../../unit/policy/workspace.js';

before(() => initShellParser());
const ws = makeWorkspace();
after(() => ws.cleanup());

const engine = createPolicyEngine({
  workspaceRoots: [ws.root],
  userRules: { allow: ['shell(ls *)', 'shell(find *)', 'shell(cat *)', 'shell(xargs *)', 'shell(git *)', 'shell(echo *)', 'shell(grep *)', 'shell(rm *)'] },
  caseInsensitive: false,
});

test('a listing piped into xargs is decided on every file under the listed directory, .env included', () => {
  for (const line of ['ls -a | xargs cat', 'ls -A | xargs -I{} cat {}', 'find . -type f | xargs cat', 'git ls-files -o | xargs cat', 'find -L . -name "*.txt" | xargs -0 -n1 rm']) {
    // Reading asks (a secret under a directory read whole), removing is denied outright.
    assert.equal(engine.decide({ kind: 'shell', command: line }).decision, line.endsWith('rm') ? 'deny' : 'ask', line);
    const deciding = engine.explain({ kind: 'shell', command: line }).find((e) => e.decision !== 'allow');
    assert.match(deciding?.rule ?? '', /^deny (read|write)\(\*\*\/\.env\)$/, line);
    assert.match(deciding!.reason, /`\.env`/, line);
  }
});

test('arguments from a producer that is not a plain listing are unknown, and ask', () => {
  for (const line of ['cat list.txt | xargs cat', "printf '%s\\n' a b | xargs cat", 'ls -I x | xargs cat', 'find . -exec echo {} \\; | xargs cat', 'xargs cat < names.txt', 'git -C /etc ls-files | xargs cat']) {
    // Some also hit a deny of their own (`git -C /etc`); none is allowed, and each says the arguments are unknown.
    assert.notEqual(engine.decide({ kind: 'shell', command: line }).decision, 'allow', line);
    const deciding = engine.explain({ kind: 'shell', command: line }).find((e) => e.decision === 'ask' && e.rule === 'builtin: shell analysis');
    assert.ok(deciding, `${line}: ${JSON.stringify(engine.explain({ kind: 'shell', command: line }))}`);
  }
});

test('a listing of a directory without secrets, piped into an allowed reader, is allowed', () => {
  const line = 'find src -name "*.ts" | xargs grep -n export';
  assert.equal(engine.decide({ kind: 'shell', command: line }).decision, 'allow', JSON.stringify(engine.explain({ kind: 'shell', command: line })));
  // The same listing outside the workspace is no longer a workspace read.
  assert.notEqual(engine.decide({ kind: 'shell', command: 'find -L /etc -type f | xargs cat' }).decision, 'allow');
});

test('xargs that only prints its arguments is decided as the listing itself', () => {
  assert.equal(engine.decide({ kind: 'shell', command: 'cat list.txt | xargs echo' }).decision, 'allow');
  assert.equal(engine.decide({ kind: 'shell', command: 'ls | xargs' }).decision, 'allow');
});
