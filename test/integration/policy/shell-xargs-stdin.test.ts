// Red team: `xargs CMD` appends arguments read from its standard input, which the text analysis cannot see. When the
// producer lists the workspace (`ls -a`, `find .`), those arguments include `.env`, and an allowed `cat` reads it. The
// sandbox hides `.env` from the run, so the effect is contained where the sandbox runs; without it, the line must not
// be allowed. Open: deciding the appended arguments needs the pipe's producer (a `find DIR` bounds them to DIR/**).
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
  userRules: { allow: ['shell(ls *)', 'shell(find *)', 'shell(cat *)', 'shell(xargs *)', 'shell(git *)'] },
  caseInsensitive: false,
});

test('a listing piped into xargs cat is not allowed: the names it appends include .env', { todo: 'xargs arguments from stdin are not decided; the sandbox contains the read' }, () => {
  for (const line of ['ls -a | xargs cat', 'ls -A | xargs -I{} cat {}', 'find . -type f | xargs cat', 'git ls-files -o | xargs cat']) {
    assert.notEqual(engine.decide({ kind: 'shell', command: line }).decision, 'allow', line);
  }
});
