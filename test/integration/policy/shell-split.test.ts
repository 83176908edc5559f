import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { splitShell } from '../../../extension/core/policy/shell.js';
import { analyzeCommandLine } from '../../../extension/core/policy/shell-commands.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';

// Shell decisions need the tree-sitter parser, loaded once per process.
before(() => initShellParser());

const commands = (line: string) => splitShell(line).commands.map((c) => c.words.map((w) => w.text).join(' '));
const innermost = (line: string) => analyzeCommandLine(line).parts.filter((p) => !p.carrier).map((p) => p.words.join(' '));

describe('splitShell', () => {
  test('operators split, quoted operators do not', () => {
    assert.deepEqual(commands('a 1; b "2;3" && c \'|\' || d | e'), ['a 1', 'b 2;3', 'c |', 'd', 'e']);
  });
  test('substitutions are found inside words and quotes', () => {
    assert.deepEqual(commands('echo "x$(a)y" `b` <(c)').sort(), ['a', 'b', 'c', 'echo x$(a)y `b` <(c)'].sort());
  });
  test('redirections are extracted with their kind', () => {
    const [cmd] = splitShell('sort < in.txt > out.txt 2>> err.log 2>&1').commands;
    assert.deepEqual(cmd!.words.map((w) => w.text), ['sort']);
    assert.deepEqual(cmd!.redirects.map((r) => [r.kind, r.target.text]), [['read', 'in.txt'], ['write', 'out.txt'], ['write', 'err.log']]);
  });
  test('escapes and quotes are removed', () => {
    assert.deepEqual(commands("r\\m 'a b' \"c\\\"d\""), ['rm a b c"d']);
  });
  test('reserved words and groups are transparent', () => {
    assert.deepEqual(commands('if a; then { b; }; else (c); fi'), ['a', 'b', 'c']);
  });
  test('a quoted reserved word is a command name', () => {
    assert.deepEqual(commands('"if" a; \\then b'), ['if a', 'then b']);
  });
  test('what cannot be followed is reported', () => {
    assert.ok(splitShell("echo 'x").uncertain.some((u) => /does not parse as bash/.test(u)));
    assert.ok(splitShell('echo ${x@P}').uncertain.some((u) => /transformation/.test(u)));
    assert.ok(splitShell('coproc ls').uncertain.some((u) => /coproc/.test(u)));
    assert.deepEqual(splitShell('a && b || c; d').uncertain, []);
  });
  test('heredocs, background jobs and loops are understood (they were reported under the hand-written lexer)', () => {
    assert.deepEqual(splitShell('cat <<EOF\nx\nEOF').uncertain, []);
    assert.deepEqual(splitShell('a & b').uncertain, []);
    assert.deepEqual(commands('for i in 1 2; do echo $i; done'), ['echo $i']);
  });
  test('the syntax seen is reported', () => {
    const split = splitShell('for i in 1 2; do echo "$i" | cat; done');
    assert.ok(split.syntax.includes('for_statement') && split.syntax.includes('pipeline'), split.syntax.join(' '));
  });
});

describe('analyzeCommandLine unwraps', () => {
  test('wrappers down to the command run', () => {
    assert.deepEqual(innermost('sudo -u x env A=1 timeout -s KILL 5 nice -n 2 nohup rm -f y'), ['rm -f y']);
  });
  test('shell payloads and eval', () => {
    assert.deepEqual(innermost(`bash -c 'a; b' && eval "c d"`), ['a', 'b', 'c d']);
  });
  test('find -exec and xargs', () => {
    assert.deepEqual(innermost('find . -exec grep x {} \\; | xargs -n1 wc -l').sort(), ['find . -exec grep x {} ;', 'grep x {}', 'wc -l'].sort());
  });
});

describe('robustness', () => {
  test('any input splits without throwing, and what is not understood is reported', () => {
    const alphabet = fc.constantFrom(...'ab $()`\'"\\;&|<>{}[]*?~=#!\n\t-0123'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((cs) => cs.join('')), (line) => {
        const split = splitShell(line);
        assert.ok(Array.isArray(split.commands));
        const analysis = analyzeCommandLine(line);
        assert.ok(analysis.parts.every((p) => Array.isArray(p.words)));
      }),
      { numRuns: 2000 },
    );
  });
});
