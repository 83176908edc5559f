import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRule, parseRuleSet, shellRuleMatches } from '../../../extension/core/policy/rules.js';

function error(text: string, list: 'allow' | 'ask' | 'deny' = 'deny', index = 3): string {
  const r = parseRule(text, list, 'project', index);
  assert.equal(r.ok, false, `${text} should not parse`);
  return r.ok ? '' : r.error.message;
}

describe('parseRule', () => {
  test('unknown kind is named with the expected kinds', () => {
    assert.equal(error('raed(**)'), 'rule 3 in deny: `raed(**)` — unknown kind `raed`; expected read, write, shell, mcp or net');
  });
  test('not of the form Kind(pattern)', () => assert.match(error('read **'), /expected `Kind\(pattern\)`/));
  test('empty pattern', () => assert.match(error('read()'), /pattern is empty/));
  test('`*` inside a shell pattern', () => assert.match(error('shell(npm * test)'), /only allowed as the last word/));
  test('`*` glued to a word', () => assert.match(error('shell(npm*)'), /only allowed as the last word/));
  test('`..` in a glob', () => assert.match(error('read(../x)'), /not allowed in a pattern/));
  test('extglob', () => assert.match(error('read(+(a|b))'), /extended globs/));
  test('POSIX class', () => assert.match(error('read([[:alpha:]].txt)'), /POSIX character classes/));
  test('mcp pattern with spaces', () => assert.match(error('mcp(github tool)'), /mcp pattern/));
  test('brace bomb', () => assert.match(error('read({a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n})'), /brace expansion/));

  test('a good rule keeps its text for decisions', () => {
    const r = parseRule('read(**/.env*)', 'deny', 'user');
    assert.ok(r.ok);
    assert.equal(r.rule.text, 'deny read(**/.env*)');
  });
});

describe('shell rules match words', () => {
  const rule = (p: string) => {
    const r = parseRule(`shell(${p})`, 'allow', 'user');
    assert.ok(r.ok && r.rule.kind === 'shell');
    return r.rule;
  };
  test('exact', () => {
    assert.equal(shellRuleMatches(rule('npm test'), ['npm', 'test']), true);
    assert.equal(shellRuleMatches(rule('npm test'), ['npm', 'test', '--x']), false);
    assert.equal(shellRuleMatches(rule('npm test'), ['npm']), false);
  });
  test('trailing wildcard', () => {
    assert.equal(shellRuleMatches(rule('npm run *'), ['npm', 'run']), true);
    assert.equal(shellRuleMatches(rule('npm run *'), ['npm', 'run', 'a', 'b']), true);
    assert.equal(shellRuleMatches(rule('npm run *'), ['npm', 'runx']), false);
  });
});

describe('parseRuleSet', () => {
  test('collects good rules and errors with positions', () => {
    const { rules, errors } = parseRuleSet({ allow: ['read(src/**)', 'bogus'], deny: ['shell(rm *)'] }, 'user');
    assert.equal(rules.length, 2);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.index, 2);
    assert.equal(errors[0]!.list, 'allow');
  });
  test('a list that is not an array', () => {
    const { errors } = parseRuleSet({ deny: 'read(**)' as unknown as string[] }, 'user');
    assert.match(errors[0]!.message, /must be a list/);
  });
});
