// The manifest and the code must agree: a contributed command nobody registers is a dead palette entry, a
// registered command nobody contributes is invisible, and a setting read but not contributed has no default or
// description (and no scope: a workspace could set it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commandTable } from '../../../extension/vscode/commands.js';

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { type?: unknown; default?: unknown; description?: string; markdownDescription?: string; scope?: string }> };
    views: Record<string, { id: string; type?: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    menus?: Record<string, { command: string }[]>;
    jsonValidation?: { fileMatch: string; url: string }[];
  };
  capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string }; virtualWorkspaces?: unknown };
}

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributedCommands = manifest.contributes.commands.map((c) => c.command);
const settings = manifest.contributes.configuration.properties;

function sources(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push({ path, text: readFileSync(path, 'utf8') });
  }
  return out;
}
const vscodeSources = sources(join(root, 'extension', 'vscode'));

test('every contributed command is in the registration table, and vice versa', () => {
  const registered = commandTable.map((c) => c.id).sort();
  assert.deepEqual(registered, [...contributedCommands].sort());
  assert.equal(new Set(registered).size, registered.length, 'a command id is registered twice');
});

test('every registerCommand literal in extension/vscode is contributed', () => {
  const literal = /registerCommand\(\s*['"`]([^'"`]+)['"`]/g;
  for (const { path, text } of vscodeSources) {
    for (const m of text.matchAll(literal)) assert.ok(contributedCommands.includes(m[1]!), `${path} registers ${m[1]} which package.json does not contribute`);
  }
});

test('commands are tiller.* with category Tiller; menus name contributed commands', () => {
  for (const c of manifest.contributes.commands) {
    assert.match(c.command, /^tiller\.[a-zA-Z]+$/);
    assert.equal(c.category, 'Tiller', `${c.command} has no "Tiller" category`);
    assert.ok(c.title, `${c.command} has no title`);
  }
  for (const [menu, items] of Object.entries(manifest.contributes.menus ?? {})) {
    for (const item of items) assert.ok(contributedCommands.includes(item.command), `menu ${menu} names ${item.command}`);
  }
});

test('every setting read in code is contributed, and every contributed setting is read', () => {
  // Settings are read through the `tiller` section: cfg.get('x') or the user-only cfg.inspect('x').
  const read = new Set<string>();
  for (const { text } of vscodeSources) {
    if (!/getConfiguration\(\s*(?:'tiller'|SETTINGS_SECTION)\s*\)|cfg\.(?:get|inspect)/.test(text)) continue;
    for (const m of text.matchAll(/(?:\.get|\.inspect|userValue\(\s*cfg\s*,)(?:<[^>]*>)?\(?\s*'([a-zA-Z.]+)'/g)) read.add(`tiller.${m[1]}`);
  }
  assert.ok(read.size > 0, 'found no settings reads: has config.ts changed shape?');
  for (const key of read) assert.ok(settings[key], `code reads ${key}, which package.json does not contribute`);
  for (const key of Object.keys(settings)) assert.ok(read.has(key), `package.json contributes ${key}, which no code reads`);
});

test('every setting has a type, a default and a description', () => {
  for (const [key, s] of Object.entries(settings)) {
    // One level of grouping is allowed (`tiller.sandbox.allowPaths`).
    assert.match(key, /^tiller\.[a-zA-Z]+(\.[a-zA-Z]+)?$/);
    assert.ok(s.type, `${key} has no type`);
    assert.ok('default' in s, `${key} has no default`);
    assert.ok(s.description || s.markdownDescription, `${key} has no description`);
  }
});

test('settings that route the key or money cannot be set by a workspace', () => {
  for (const key of ['tiller.baseUrl', 'tiller.headers', 'tiller.model', 'tiller.prices', 'tiller.maxCostUsd', 'tiller.permissions', 'tiller.approvals', 'tiller.sandbox.allowPaths', 'tiller.checks']) {
    assert.ok(settings[key]?.scope === 'machine' || settings[key]?.scope === 'application', `${key} must be machine or application scoped`);
  }
  // And the code reads them user-only rather than trusting the scope alone.
  const config = vscodeSources.find((s) => s.path.endsWith(join('vscode', 'config.ts')))!.text;
  for (const key of ['baseUrl', 'headers', 'model', 'prices', 'maxCostUsd', 'permissions', 'approvals', 'sandbox.allowPaths', 'checks']) {
    assert.match(config, new RegExp(`userValue\\(cfg, '${key}'\\)`), `config.ts must read ${key} with userValue`);
  }
});

test('the chat view is contributed in the tiller container and registered in code', () => {
  const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === 'tiller');
  assert.ok(container, 'no tiller activity-bar container');
  assert.ok(statSync(join(root, container.icon)).isFile(), `${container.icon} is missing`);
  const view = manifest.contributes.views.tiller?.find((v) => v.id === 'tiller.chat');
  assert.equal(view?.type, 'webview');
  const chatView = vscodeSources.find((s) => s.path.endsWith('chat-view.ts'))!.text;
  assert.match(chatView, /CHAT_VIEW_ID = 'tiller\.chat'/);
  const extension = vscodeSources.find((s) => s.path.endsWith(join('vscode', 'extension.ts')))!.text;
  assert.match(extension, /registerWebviewViewProvider\(CHAT_VIEW_ID/);
});

test('activation is lazy and trust is declared', () => {
  const events = manifest.activationEvents ?? [];
  assert.ok(!events.includes('*'), 'activation on * loads Tiller in every window');
  assert.ok(!events.some((e) => e === 'onStartupFinished'), 'activation at startup is not lazy');
  assert.ok(events.includes('onView:tiller.chat'));
  assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited');
  assert.ok(manifest.capabilities?.untrustedWorkspaces?.description);
  assert.equal(manifest.capabilities?.virtualWorkspaces, false);
});

test('the project permission file is validated against a schema that exists', () => {
  const entry = manifest.contributes.jsonValidation?.find((j) => j.fileMatch === '.tiller/permissions.json');
  assert.ok(entry, 'no jsonValidation for .tiller/permissions.json');
  assert.ok(statSync(join(root, entry.url)).isFile(), `${entry.url} is missing`);
});
