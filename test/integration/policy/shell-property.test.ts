// Property: however simple commands are composed (operators, substitutions, subshells, groups, wrappers, nested
// shells), a command line that contains a denied simple command is never allowed.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import fc from 'fast-check';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';

// Shell decisions need the tree-sitter parser, loaded once per process.
before(() => initShellParser());

const engine = createPolicyEngine({
  workspaceRoots: [os.tmpdir()],
  userRules: {
    allow: ['shell(cat *)', 'shell(ls *)', 'shell(echo *)', 'shell(npm test)', 'shell(git status)', 'shell(true)'],
    deny: ['shell(rm *)', 'shell(curl *)'],
  },
  caseInsensitive: false,
});

interface Built {
  text: string;
  denied: boolean;
  /** Has an assignment prefix (`X=1 cmd`, `env A=1 cmd`): an allow rule must name it, so it asks (issue 12). */
  prefixed?: boolean;
}

const benign = fc.constantFrom('ls', 'ls -la', 'echo hi', 'npm test', 'git status', 'true');
const denied = fc.constantFrom('rm -rf x', 'rm x', '/bin/rm y', 'curl http://example.invalid', 'r""m z', '\\rm w');

const leaf: fc.Arbitrary<Built> = fc.oneof(
  benign.map((text) => ({ text, denied: false })),
  denied.map((text) => ({ text, denied: true })),
);

const operator = fc.constantFrom('; ', ' && ', ' || ', ' | ', '\n', ' |& ');

/** Single-quotes a string for a shell, closing and reopening around embedded quotes. */
function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const tree = fc.letrec<{ cmd: Built }>((tie) => ({
  cmd: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('cmd'), operator, tie('cmd')).map(([a, op, b]) => ({ text: `${a.text}${op}${b.text}`, denied: a.denied || b.denied, prefixed: !!(a.prefixed || b.prefixed) })),
    tie('cmd').map((a) => ({ text: `echo $( ${a.text} )`, denied: a.denied, prefixed: !!a.prefixed })),
    tie('cmd').map((a) => ({ text: `echo "$( ${a.text} )"`, denied: a.denied, prefixed: !!a.prefixed })),
    tie('cmd').map((a) => ({ text: `( ${a.text} )`, denied: a.denied, prefixed: !!a.prefixed })),
    tie('cmd').map((a) => ({ text: `{ ${a.text}; }`, denied: a.denied, prefixed: !!a.prefixed })),
    tie('cmd').map((a) => ({ text: `bash -c ${quote(a.text)}`, denied: a.denied, prefixed: !!a.prefixed })),
    tie('cmd').map((a) => ({ text: `eval ${quote(a.text)}`, denied: a.denied, prefixed: !!a.prefixed })),
    tie('cmd').map((a) => ({ text: `cat <( ${a.text} )`, denied: a.denied, prefixed: !!a.prefixed })),
    tie('cmd').map((a) => ({ text: `if true; then ${a.text}; fi`, denied: a.denied, prefixed: !!a.prefixed })),
    leaf.map((a) => ({ text: `echo \`${a.text}\``, denied: a.denied })),
    leaf.map((a) => ({ text: `sudo ${a.text}`, denied: a.denied })),
    leaf.map((a) => ({ text: `env A=1 ${a.text}`, denied: a.denied, prefixed: true })),
    leaf.map((a) => ({ text: `timeout 5 ${a.text}`, denied: a.denied })),
    leaf.map((a) => ({ text: `X=1 nohup ${a.text}`, denied: a.denied, prefixed: true })),
  ),
})).cmd;

test('a composition containing a denied simple command is never allowed', () => {
  fc.assert(
    fc.property(tree, (built) => {
      const d = engine.decide({ kind: 'shell', command: built.text });
      if (built.denied) assert.notEqual(d.decision, 'allow', `${JSON.stringify(built.text)} was allowed by ${d.rule}`);
    }),
    { numRuns: 600 },
  );
});

test('in fact such a composition is denied, not merely asked about', () => {
  fc.assert(
    fc.property(tree.filter((b) => b.denied), (built) => {
      const d = engine.decide({ kind: 'shell', command: built.text });
      assert.equal(d.decision, 'deny', `${JSON.stringify(built.text)} -> ${d.decision} (${d.reason})`);
    }),
    { numRuns: 300 },
  );
});

test('a composition of allowed commands only is allowed', () => {
  fc.assert(
    fc.property(tree.filter((b) => !b.denied && !b.prefixed), (built) => {
      const d = engine.decide({ kind: 'shell', command: built.text });
      assert.equal(d.decision, 'allow', `${JSON.stringify(built.text)} -> ${d.decision} (${d.reason})`);
    }),
    { numRuns: 300 },
  );
});

test('an assignment prefix before allowed commands asks, never allows', () => {
  fc.assert(
    fc.property(tree.filter((b) => !b.denied && !!b.prefixed), (built) => {
      const d = engine.decide({ kind: 'shell', command: built.text });
      assert.equal(d.decision, 'ask', `${JSON.stringify(built.text)} -> ${d.decision} (${d.reason})`);
    }),
    { numRuns: 200 },
  );
});

test('arbitrary input never breaks the analysis (no internal error decisions)', () => {
  const alphabet = fc.constantFrom(...'ab rm ls $()`\'"\\;&|<>{}[]*?~=#!\n-./'.split(''));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 50 }).map((cs) => cs.join('')), (line) => {
      const d = engine.decide({ kind: 'shell', command: line });
      assert.notEqual(d.rule, 'builtin: analysis failed', `${JSON.stringify(line)}: ${d.reason}`);
    }),
    { numRuns: 1500 },
  );
});
