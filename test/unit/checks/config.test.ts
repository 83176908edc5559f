// The checks configuration: `.tiller/checks.json`, the `tiller.checks` setting, `--check CMD`. A bad file is named
// with its field and none of its checks run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFromCommand, checksJsonSchema, DEFAULT_CHECK_TIMEOUT_MS, loadProjectChecks, mergeChecks, nameFromCommand, parseChecksFile, parseUserChecks } from '../../../extension/core/checks/config.js';

const FILE = '/ws/.tiller/checks.json';

test('a valid file gives its checks, marked as the project\'s, with the default deadline', () => {
  const r = parseChecksFile(JSON.stringify({ checks: [{ name: 'typecheck', command: 'npx tsc --noEmit', after: ['edit'] }, { name: 'test', command: 'npm test', after: ['edit', 'done'], timeoutMs: 30000 }] }), FILE);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.checks.map((c) => [c.name, c.command, c.after, c.timeoutMs, c.source]), [
    ['typecheck', 'npx tsc --noEmit', ['edit'], DEFAULT_CHECK_TIMEOUT_MS, 'project'],
    ['test', 'npm test', ['edit', 'done'], 30000, 'project'],
  ]);
});

test('`after` is a list: the string form of the first draft is an error naming the file and the field', () => {
  const r = parseChecksFile(JSON.stringify({ checks: [{ name: 'test', command: 'npm test', after: 'edit|done' }] }), FILE);
  assert.equal(r.checks.length, 0);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!, /^\/ws\/\.tiller\/checks\.json: checks\[0\]\.after: .*expected array.*; its checks do not run$/i);
});

test('each bad field is named: unknown moment, empty command, unknown key, too long a deadline', () => {
  const r = parseChecksFile(JSON.stringify({ checks: [{ name: 'a', command: 'x', after: ['save'] }, { name: 'b', command: '  ', after: ['edit'] }, { name: 'c', command: 'x', after: ['done'], runs: 3 }, { name: 'd', command: 'x', after: ['done'], timeoutMs: 3_600_000 }] }), FILE);
  assert.equal(r.checks.length, 0);
  const joined = r.errors.join('\n');
  assert.match(joined, /checks\[0\]\.after\[0\]: /);
  assert.match(joined, /checks\[1\]\.command: must not be empty/);
  assert.match(joined, /checks\[2\]: .*runs/);
  assert.match(joined, /checks\[3\]\.timeoutMs: must be at most 600000/);
});

test('not JSON, or two checks of one name: an error, no checks', () => {
  assert.match(parseChecksFile('{ checks: [', FILE).errors[0]!, /checks\.json: not valid JSON/);
  const dup = parseChecksFile(JSON.stringify({ checks: [{ name: 't', command: 'a', after: ['edit'] }, { name: 't', command: 'b', after: ['done'] }] }), FILE);
  assert.deepEqual(dup.checks, []);
  assert.match(dup.errors[0]!, /two checks are named "t"/);
});

test('the project file is read from the workspace folder; no file means no checks and no error', () => {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-checks-'));
  assert.deepEqual(loadProjectChecks(ws), { checks: [], errors: [] });
  mkdirSync(join(ws, '.tiller'));
  writeFileSync(join(ws, '.tiller', 'checks.json'), JSON.stringify({ checks: [{ name: 'lint', command: 'npm run lint', after: ['done'] }] }));
  assert.deepEqual(loadProjectChecks(ws).checks.map((c) => c.name), ['lint']);
});

test('the user setting has the same entries, marked as the user\'s own; a bad one names the setting', () => {
  assert.deepEqual(parseUserChecks([{ name: 'test', command: 'npm test', after: ['done'] }], 'tiller.checks').checks.map((c) => c.source), ['user']);
  assert.match(parseUserChecks([{ name: 'test', after: ['done'] }], 'tiller.checks').errors[0]!, /^tiller\.checks: \[0\]\.command: /);
  assert.deepEqual(parseUserChecks(undefined, 'tiller.checks'), { checks: [], errors: [] });
});

test('--check CMD: the user\'s own, after edit and done, named after the program rather than its launcher', () => {
  const c = checkFromCommand('  npm test  ');
  assert.deepEqual([c.name, c.command, c.after, c.source], ['npm test', 'npm test', ['edit', 'done'], 'user']);
  assert.equal(nameFromCommand('npx tsc --noEmit -p .'), 'tsc --noEmit -p .');
  assert.equal(nameFromCommand('CI=1 FORCE_COLOR=0 jest --ci'), 'jest --ci');
  assert.equal(nameFromCommand('./scripts/check.sh'), 'scripts/check.sh');
  assert.equal(nameFromCommand('$(whoami)'), 'whoami');
  assert.equal(nameFromCommand('./.hidden'), 'check .hidden');
  assert.ok(nameFromCommand('x'.repeat(200)).length <= 60);
  assert.throws(() => checkFromCommand('   '), /must not be empty/);
});

test('merged, each name is kept once: a project check named like a user check is renamed, not dropped', () => {
  const merged = mergeChecks([checkFromCommand('npm test')], parseChecksFile(JSON.stringify({ checks: [{ name: 'npm test', command: 'npm test -- --ci', after: ['edit'] }] }), FILE).checks);
  assert.deepEqual(merged.checks.map((c) => [c.name, c.source]), [['npm test', 'user'], ['npm test (2)', 'project']]);
});

test('schemas/checks.schema.json matches the zod schema', () => {
  const file = join(__dirname, '..', '..', '..', 'schemas', 'checks.schema.json');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), checksJsonSchema());
});
