// `.claude/settings.json` permissions in Tiller's rule syntax: each form Claude Code documents, and what happens to
// what cannot be translated (an allow is dropped; a deny is made broader or closes writes and shell commands).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readClaudeRules, translateClaudeRule } from '../../../extension/core/policy/claude-permissions.js';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { ConsentStore } from '../../../extension/core/storage/consent-store.js';

const home = '/home/u';
const t = (entry: unknown, list: 'allow' | 'ask' | 'deny' = 'allow') => translateClaudeRule(entry, list, home);

test("Claude's rule forms as Tiller rules", () => {
  assert.deepEqual(t('Bash(npm run test:*)'), { ok: true, rules: ['shell(npm run test *)'] });
  // Claude's prefix covers `npm run test:unit` too: a deny or ask widens to whole words so it binds on it.
  for (const list of ['deny', 'ask'] as const) {
    const d = t('Bash(npm run test:*)', list);
    assert.ok(d.ok && d.rules[0] === 'shell(npm run *)' && /made broader/.test(d.note ?? ''), JSON.stringify(d));
  }
  assert.deepEqual(t('Bash(git:*)', 'deny'), { ok: true, rules: ['shell(git *)'] }, 'a one-word prefix stays that program');
  assert.deepEqual(t('Bash(npm test)'), { ok: true, rules: ['shell(npm test)'] });
  assert.deepEqual(t('Bash(git diff *)'), { ok: true, rules: ['shell(git diff *)'] });
  assert.deepEqual(t('Bash'), { ok: true, rules: ['shell(*)'] });
  assert.deepEqual(t('Read(./.env)'), { ok: true, rules: ['read(.env)'] });
  assert.deepEqual(t('Read(*.pem)'), { ok: true, rules: ['read(**/*.pem)'] }, 'a bare name matches at any depth, as in gitignore');
  assert.deepEqual(t('Read(/docs/**)'), { ok: true, rules: ['read(docs/**)'] }, 'a leading slash is the project root');
  assert.deepEqual(t('Read(//etc/hosts)'), { ok: true, rules: ['read(/etc/hosts)'] });
  assert.deepEqual(t('Read(~/.zshrc)'), { ok: true, rules: ['read(/home/u/.zshrc)'] });
  assert.deepEqual(t('Edit(src/**)'), { ok: true, rules: ['write(src/**)'] });
  assert.deepEqual(t('Write'), { ok: true, rules: ['write(**)'] });
  assert.deepEqual(t('WebFetch(domain:example.com)'), { ok: true, rules: ['net(example.com)'] });
  assert.deepEqual(t('mcp__github__create_issue'), { ok: true, rules: ['mcp(github.create_issue)'] });
  assert.deepEqual(t('mcp__github'), { ok: true, rules: ['mcp(github.*)'] });
});

test('what cannot be translated: an allow grants nothing, a deny is made broader or fails closed', () => {
  assert.equal(t('Bash(git * main)').ok, false);
  assert.deepEqual(t('Bash(git * main)', 'deny'), { ok: true, rules: ['shell(git *)'], note: "made broader: Tiller's shell patterns take `*` only as the last word" });
  assert.deepEqual(t('Bash(* --force)', 'deny').ok && t('Bash(* --force)', 'deny'), { ok: true, rules: ['shell(*)'], note: "made broader: Tiller's shell patterns take `*` only as the last word" });
  const broken = t('Bash(rm -rf', 'deny');
  assert.equal(broken.ok, false);
  assert.deepEqual(!broken.ok && broken.restrict, ['write(**)', 'shell(*)']);
  const unknown = t('Frobnicate(x)', 'deny');
  assert.deepEqual(!unknown.ok && unknown.restrict, ['write(**)', 'shell(*)']);
  const none = t('WebSearch', 'deny');
  assert.equal(none.ok, false);
  assert.equal(!none.ok && none.restrict, undefined, 'nothing in Tiller to deny');
  assert.equal(t('Bash(rm -rf', 'allow').ok, false);
  assert.equal(!t(42, 'allow').ok, true);
});

function workspace(settings: unknown): string {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-claude-'));
  mkdirSync(join(ws, '.claude'));
  writeFileSync(join(ws, '.claude', 'settings.json'), typeof settings === 'string' ? settings : JSON.stringify(settings, null, 2));
  return ws;
}

test('denies and asks bind without consent; allows need consent to the exact list', () => {
  const ws = workspace({ permissions: { allow: ['Bash(npm test)'], deny: ['Read(./secrets/**)'], ask: ['Bash(git push:*)'] } });
  const store = new ConsentStore(mkdtempSync(join(tmpdir(), 'tiller-home-')));
  const r = readClaudeRules(ws, home, store);
  assert.deepEqual(r.inForce, { ask: ['shell(git *)'], deny: ['read(secrets/**)'] });
  assert.deepEqual(r.unconsentedAllows, ['shell(npm test)']);
  const engine = createPolicyEngine({ workspaceRoots: [ws], projectRules: r.inForce });
  assert.equal(engine.decide({ kind: 'read', path: join(ws, 'secrets', 'k.txt') }).decision, 'deny');
  assert.equal(engine.decide({ kind: 'shell', command: 'git push origin main' }).decision, 'ask');
  store.grant({ workspace: ws, kind: 'project-rules', name: '.claude/settings.json', hash: r.hash! }, 'test');
  assert.deepEqual(readClaudeRules(ws, home, store).inForce.allow, ['shell(npm test)']);
});

test('a broken file or a deny that cannot be read closes writes and shell commands, with file and line', () => {
  const broken = readClaudeRules(workspace('{ "permissions": { "deny": [ "Bash(rm' ), home, undefined);
  assert.deepEqual(broken.inForce.deny, ['write(**)', 'shell(*)']);
  assert.match(broken.warnings.join('\n'), /\.claude\/settings\.json:1: not valid JSON/);
  const bad = readClaudeRules(workspace({ permissions: { deny: ['Read(.env)', 'Bash(rm -rf'] } }), home, undefined);
  assert.deepEqual(bad.inForce.deny, ['read(**/.env)', 'write(**)', 'shell(*)']);
  assert.match(bad.warnings.join('\n'), /\.claude\/settings\.json:5: deny `Bash\(rm -rf` cannot be translated/);
});
