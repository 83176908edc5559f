// The session's rules in one place (policy/live-policy.ts): project allows only with consent, the effective policy
// written for the built-in servers, and the "Always" path — Tiller writes a rule, the consent moves to the new
// content, the engine and the policy file both change.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLivePolicy } from '../../../extension/core/policy/live-policy.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';
import { readEffectivePolicy } from '../../../extension/core/policy/effective.js';
import { addAllowRule } from '../../../extension/vscode/chat-always-rule.js';
import { ConsentStore } from '../../../extension/core/storage/consent-store.js';
import type { ConsentRequest } from '../../../extension/core/storage/consent-store.js';

function setup(rules?: object) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-live-')));
  const home = mkdtempSync(join(tmpdir(), 'tiller-live-home-'));
  if (rules) {
    mkdirSync(join(root, '.tiller'));
    writeFileSync(join(root, '.tiller', 'permissions.json'), JSON.stringify(rules));
  }
  return { root, home, policyFile: join(home, 'run', 's1', 'policy.json') };
}


// Shell decisions ask until the tree-sitter parser is loaded (shell-parser.ts), as in the harness.
before(() => initShellParser());

test('without consent the policy file carries the project deny and ask but not its allow', async () => {
  const s = setup({ allow: ['shell(npm test)'], ask: ['shell(git push *)'], deny: ['read(private/**)'] });
  const warnings: string[] = [];
  const live = await createLivePolicy({ ...s, warn: (m) => warnings.push(m) });
  const written = readEffectivePolicy(s.policyFile);
  assert.deepEqual(written.projectRules, { ask: ['shell(git push *)'], deny: ['read(private/**)'] });
  assert.deepEqual(written.workspaceRoots, [s.root]);
  const d = live.engine.decide({ kind: 'shell', command: 'npm test' });
  assert.equal(d.decision, 'ask');
  assert.equal(d.rule, 'default: shell commands ask');
  assert.ok(warnings.some((w) => /its allow rules are not in force \(shell\(npm test\)\)/.test(w)));
  live.close();
  assert.equal(existsSync(s.policyFile), false);
});

test('a yes is asked once with the allow rules listed, stored, and puts them in force', async () => {
  const s = setup({ allow: ['shell(npm test)', 'write(src/**)'] });
  const asked: ConsentRequest[] = [];
  const live = await createLivePolicy({ ...s, consent: { ask: async (r) => (asked.push(r), true) }, warn: () => {} });
  assert.deepEqual(asked.map((r) => r.shown), [['allow shell(npm test)', 'allow write(src/**)']]);
  assert.equal(asked[0]!.kind, 'project-rules');
  const d = live.engine.decide({ kind: 'shell', command: 'npm test' });
  assert.equal(d.decision, 'allow');
  assert.equal(d.rule, 'allow shell(npm test)');
  assert.deepEqual(readEffectivePolicy(s.policyFile).projectRules.allow, ['shell(npm test)', 'write(src/**)']);
  const again: ConsentRequest[] = [];
  await createLivePolicy({ ...s, policyFile: join(s.home, 'run', 's2', 'policy.json'), consent: { ask: async (r) => (again.push(r), false) }, warn: () => {} });
  assert.equal(again.length, 0, 'the stored consent is not asked again');
});

test('"Always" writes the rule, re-pins the consent and reload() puts it in force in the engine and the policy file', async () => {
  const s = setup({ allow: ['shell(npm test)'] });
  const live = await createLivePolicy({ ...s, consent: { ask: async () => true }, warn: () => {} });
  assert.equal(live.engine.decide({ kind: 'shell', command: 'npm run lint' }).decision, 'ask');
  await addAllowRule(s.root, 'shell(npm run lint)', s.home);
  live.reload();
  const d = live.engine.decide({ kind: 'shell', command: 'npm run lint' });
  assert.equal(d.decision, 'allow');
  assert.equal(d.rule, 'allow shell(npm run lint)');
  assert.deepEqual(readEffectivePolicy(s.policyFile).projectRules.allow, ['shell(npm test)', 'shell(npm run lint)']);
});

test('"Always" does not launder a repository\'s unconsented allows: they stay out of force until the user agrees', async () => {
  const s = setup({ allow: ['shell(rm *)'] });
  const live = await createLivePolicy({ ...s, warn: () => {} });
  await addAllowRule(s.root, 'shell(npm test)', s.home);
  live.reload();
  assert.equal(live.engine.decide({ kind: 'shell', command: 'rm x' }).decision, 'ask');
  assert.equal(live.engine.decide({ kind: 'shell', command: 'npm test' }).decision, 'ask', 'the whole file now waits for consent');
  assert.equal(new ConsentStore(s.home).hasAny({ workspace: s.root, kind: 'project-rules', name: '.tiller/permissions.json' }), false);
});

test('"Always" in a workspace with no rule file creates it and pins the consent to it', async () => {
  const s = setup();
  const live = await createLivePolicy({ ...s, warn: () => {} });
  await addAllowRule(s.root, 'shell(npm test)', s.home);
  live.reload();
  assert.equal(live.engine.decide({ kind: 'shell', command: 'npm test' }).decision, 'allow');
  assert.match(readFileSync(join(s.root, '.tiller', 'permissions.json'), 'utf8'), /shell\(npm test\)/);
});

test('a one-off agreement (remember: false) is not stored but holds for the session, reloads included', async () => {
  const s = setup({ allow: ['shell(npm test)'] });
  const live = await createLivePolicy({ ...s, consent: { ask: async () => true, remember: false }, warn: () => {} });
  assert.equal(existsSync(join(s.home, 'consent.json')), false);
  live.reload();
  assert.equal(live.engine.decide({ kind: 'shell', command: 'npm test' }).decision, 'allow');
});
