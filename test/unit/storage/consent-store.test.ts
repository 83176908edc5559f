// The one consent store: grants keyed by workspace, kind, name and content hash; the newest grant for a subject
// replaces the older; a file of the older MCP-only shape still counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsentStore, consentText, type ConsentSubject } from '../../../extension/core/storage/consent-store.js';

const rules: ConsentSubject = { workspace: '/w', kind: 'project-rules', name: '.tiller/permissions.json', hash: 'h1' };

test('a grant covers exactly its workspace, kind, name and hash', () => {
  const store = new ConsentStore(mkdtempSync(join(tmpdir(), 'tiller-consent-')));
  assert.equal(store.has(rules), false);
  store.grant(rules, 'allow shell(npm test)');
  assert.equal(store.has(rules), true);
  assert.equal(store.has({ ...rules, hash: 'h2' }), false, 'other content');
  assert.equal(store.has({ ...rules, workspace: '/other' }), false, 'other workspace');
  assert.equal(store.has({ ...rules, kind: 'mcp-server' }), false, 'other kind, same name');
  store.grant({ ...rules, hash: 'h2' }, 'newer');
  assert.equal(store.has(rules), false, 'the newest agreement replaces the old one');
  assert.equal(store.hasAny(rules), true);
  store.revoke(rules);
  assert.equal(store.hasAny(rules), false);
});

test('the older file shape (MCP servers only) is read as mcp-server grants and rewritten in the new one', () => {
  const home = mkdtempSync(join(tmpdir(), 'tiller-consent-'));
  writeFileSync(join(home, 'consent.json'), JSON.stringify({ version: 1, grants: [{ workspace: '/w', server: 'fs', hash: 'abc', shown: 'npx fs', at: 'then' }] }));
  const store = new ConsentStore(home);
  assert.equal(store.has({ workspace: '/w', kind: 'mcp-server', name: 'fs', hash: 'abc' }), true);
  store.grant(rules, 'x');
  const file = JSON.parse(readFileSync(join(home, 'consent.json'), 'utf8')) as { version: number; grants: { kind: string; name: string }[] };
  assert.equal(file.version, 2);
  assert.deepEqual(file.grants.map((g) => `${g.kind}:${g.name}`), ['mcp-server:fs', 'project-rules:.tiller/permissions.json']);
});

test('one prompt text for every kind', () => {
  const text = consentText({ kind: 'project-rules', name: 'n', origin: '.tiller/permissions.json', workspace: '/w', wants: 'allow these actions', shown: ['allow a', 'allow b'], question: 'Allow them?', agree: 'Allow' });
  assert.equal(text, "This workspace's .tiller/permissions.json wants to allow these actions:\n  allow a\n  allow b");
});
