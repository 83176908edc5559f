import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProjectRules, parseProjectRules } from '../../../extension/core/policy/load.js';
import { permissionsJsonSchema } from '../../../extension/core/policy/schema.js';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { makeWorkspace } from './workspace.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';

// Shell decisions need the tree-sitter parser, loaded once per process.
before(() => initShellParser());

const ws = makeWorkspace();
after(() => ws.cleanup());

function writeRules(text: string): void {
  fs.mkdirSync(path.join(ws.root, '.tiller'), { recursive: true });
  fs.writeFileSync(path.join(ws.root, '.tiller', 'permissions.json'), text);
}

describe('loadProjectRules', () => {
  test('a missing file is no rules and no error', () => {
    fs.rmSync(path.join(ws.root, '.tiller'), { recursive: true, force: true });
    assert.deepEqual(loadProjectRules(ws.root), { rules: {}, errors: [] });
  });

  test('a good file loads', () => {
    writeRules('{ "allow": ["shell(npm test)"], "deny": ["read(secret/**)"] }');
    const { rules, errors } = loadProjectRules(ws.root);
    assert.deepEqual(errors, []);
    assert.deepEqual(rules.allow, ['shell(npm test)']);
  });

  // Changed with issue 12: a broken file used to be ignored whole, which dropped its denies. Now it keeps every deny
  // and ask it can read, loses its allows, and denies writes and shell outright when a restriction may be lost.
  test('a bad rule is reported with its file, line and text; the readable denies stay and writes and shell are denied', () => {
    writeRules('{\n  "allow": ["write(**)"],\n  "deny": [\n    "read(a)",\n    "shell(rm *)",\n    "raed(**)"\n  ]\n}\n');
    const { rules, errors } = loadProjectRules(ws.root);
    assert.deepEqual(rules, { deny: ['read(a)', 'shell(rm *)', 'write(**)', 'shell(*)'] });
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.line, 6);
    assert.equal(errors[0]!.rule, 'raed(**)');
    assert.match(errors[0]!.message, /permissions\.json:6: rule 3 in deny: `raed\(\*\*\)` — unknown kind `raed`/);
  });

  test('bad JSON is reported with a line', () => {
    const r = parseProjectRules('{\n  "allow": [\n    "read(a)"\n    "read(b)"\n  ]\n}', 'p.json');
    assert.deepEqual(r.rules, { deny: ['write(**)', 'shell(*)'] });
    assert.equal(r.errors[0]!.line, 4);
    assert.match(r.errors[0]!.message, /^p\.json:4: not valid JSON/);
  });

  test('an unknown key is reported with its line', () => {
    const r = parseProjectRules('{\n  "allow": [],\n  "alow": ["write(**)"]\n}', 'p.json');
    assert.deepEqual(r.rules, { deny: ['write(**)', 'shell(*)'] });
    assert.equal(r.errors[0]!.line, 3);
    assert.match(r.errors[0]!.message, /unknown key `alow`/);
  });

  test('a duplicate key is refused rather than half-read', () => {
    const r = parseProjectRules('{\n  "deny": ["read(a/**)"],\n  "deny": []\n}', 'p.json');
    assert.deepEqual(r.rules, { deny: ['read(a/**)', 'write(**)', 'shell(*)'] }, 'both lists are read, so the first deny still binds');
    assert.equal(r.errors[0]!.line, 3);
    assert.match(r.errors[0]!.message, /duplicate key `deny`/);
  });

  test('a rule that is not a string', () => {
    const r = parseProjectRules('{ "deny": [42] }', 'p.json');
    assert.deepEqual(r.rules, { deny: ['write(**)', 'shell(*)'] });
    assert.equal(r.errors.length, 1);
  });

  // Changed with issue 12 (was: falls back to defaults and user rules). A deny that could not be read may have been
  // the one that mattered, so writes and shell are denied until the file is fixed, whatever a user allow says.
  test('a file whose deny cannot be read never allows and denies writes and shell outright', () => {
    writeRules('{ "allow": ["write(**)", "shell(rm *)"], "deny": ["raed(**)"] }');
    const { rules, errors } = loadProjectRules(ws.root);
    const engine = createPolicyEngine({ workspaceRoots: [ws.root], userRules: { allow: ['shell(ls *)'] }, projectRules: rules });
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /permissions\.json:1: rule 1 in deny: `raed\(\*\*\)` — unknown kind/);
    for (const action of [{ kind: 'write', path: 'src/a.ts' }, { kind: 'shell', command: 'rm x' }, { kind: 'shell', command: 'ls' }] as const) {
      const d = engine.decide(action);
      assert.equal(d.decision, 'deny', JSON.stringify(action));
      assert.match(d.rule, /^deny (write\(\*\*\)|shell\(\*\))$/);
    }
    assert.equal(engine.decide({ kind: 'read', path: 'src/a.ts' }).decision, 'allow', 'reads keep their defaults');
  });

  test('a bad allow rule costs only the allows: every deny and ask still binds, nothing is denied outright', () => {
    const r = parseProjectRules('{\n  "allow": ["shell(npm test)", "shel(x)"],\n  "ask": ["shell(git push *)"],\n  "deny": ["read(secret/**)"]\n}', 'p.json');
    assert.deepEqual(r.rules, { deny: ['read(secret/**)'], ask: ['shell(git push *)'] });
    assert.match(r.errors[0]!.message, /^p\.json:2: rule 2 in allow: `shel\(x\)` — unknown kind `shel`/);
  });

  test('a bad glob names file, line and rule', () => {
    const r = parseProjectRules('{\n  "deny": [\n    "read(src/+(a|b))"\n  ]\n}', 'p.json');
    assert.equal(r.errors[0]!.line, 3);
    assert.equal(r.errors[0]!.rule, 'read(src/+(a|b))');
    assert.match(r.errors[0]!.message, /^p\.json:3: rule 1 in deny: `read\(src\/\+\(a\|b\)\)` — extended globs/);
  });

  test('the engine also drops a project set with errors handed to it directly', () => {
    const engine = createPolicyEngine({ workspaceRoots: [ws.root], projectRules: { allow: ['write(**)'], deny: ['bad'] } });
    assert.equal(engine.errors.length, 1);
    assert.equal(engine.decide({ kind: 'write', path: 'src/a.ts' }).decision, 'ask');
  });

  test('a user set with errors keeps its denies but loses its allows', () => {
    const engine = createPolicyEngine({ workspaceRoots: [ws.root], userRules: { allow: ['shell(rm *)'], deny: ['shell(curl *)', 'oops'] } });
    assert.equal(engine.decide({ kind: 'shell', command: 'rm x' }).decision, 'ask');
    assert.equal(engine.decide({ kind: 'shell', command: 'curl x' }).decision, 'deny');
  });
});

describe('JSON schema', () => {
  test('schemas/permissions.schema.json matches the zod schema', () => {
    const file = path.join(__dirname, '..', '..', '..', 'schemas', 'permissions.schema.json');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), permissionsJsonSchema());
  });
});
