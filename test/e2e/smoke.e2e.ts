// End to end in a real VS Code: code-server (the VS Code workbench and a real Node extension host) on 127.0.0.1 with
// Tiller installed, driven by Debian's Chromium through playwright-core. Proves the extension installs, activates,
// renders its chat webview and contributes its commands. Screenshots land in test-results/e2e/ for a person to look at.
//
//   npm run test:e2e                 (first run installs code-server into the cache: minutes)
//   TILLER_SKIP_E2E=1 npm run test:e2e   skips with a message
//   TILLER_E2E_EXTENSION_DIR=<dir>   runs against another already-built extension folder instead of this repo
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, extensionIdentity } from '../../scripts/extension-install.mjs';
import { E2E, e2eSkip, openWorkbench, type Workbench } from './workbench.js';

const SOURCE_DIR = process.env.TILLER_E2E_EXTENSION_DIR || REPO_ROOT;
const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;
/** What `npm start` passes through; the test checks it arrives in the extension host's environment. */
const MODEL_ENV = { TILLER_BASE_URL: 'http://127.0.0.1:9/v1', TILLER_MODEL: 'e2e-model' };

void describe('Tiller in a real VS Code (code-server + Chromium)', { skip: e2eSkip('the real-VS-Code smoke test') }, () => {
  let wb: Workbench | undefined;

  before(
    async () => {
      const { id } = extensionIdentity(SOURCE_DIR);
      assert.equal(id, 'tiller.tiller', `the manifest in ${SOURCE_DIR} names the extension ${id}`);
      wb = await openWorkbench({ name: 'e2e', sourceDir: SOURCE_DIR, env: () => MODEL_ENV, lastShot: '99-last' });
      await wb.shot('01-workbench');
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await wb?.close();
  });

  void test('the Tiller activity-bar view renders the chat webview with its task input', { timeout: 2 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb, 'the workbench page did not open');
    await wb.openTillerView();

    const input = wb.chat().getByRole('textbox').first();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await wb.shot('02-tiller-view');
    assert.equal(await input.isEditable(), true, 'the task input in the Tiller webview is not editable');
  });

  void test('the model environment reaches the extension host', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
    assert.ok(wb, 'code-server did not start');
    const hosts = environmentsOf(wb.server.pid, 'extensionHost');
    assert.ok(hosts.length > 0, `no extension host process in code-server's process group ${wb.server.pid}`);
    for (const env of hosts) {
      for (const [name, value] of Object.entries(MODEL_ENV)) assert.equal(env.get(name), value, `${name} in the extension host`);
    }
  });

  void test('the command palette lists the commands the manifest contributes under "Tiller"', { timeout: UI_TIMEOUT_MS }, async () => {
    assert.ok(wb, 'the workbench page did not open');
    const { page } = wb;
    // VS Code adds "Tiller: Focus on ... View" for any view by itself; only the manifest's own commands prove them wired.
    const contributed = contributedTillerCommandTitles(SOURCE_DIR);
    assert.ok(contributed.length > 0, 'package.json contributes no commands with category "Tiller"');

    await wb.typeInPalette('>Tiller: ');
    const rows = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Tiller:' });
    await rows.first().waitFor({ timeout: UI_TIMEOUT_MS });
    const listed = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    await wb.shot('03-command-palette');
    await page.keyboard.press('Escape');
    const found = contributed.filter((title) => listed.some((row) => row.includes(`Tiller: ${title}`)));
    assert.ok(found.length > 0, `none of the contributed commands (${contributed.join(', ')}) is listed; palette shows: ${listed.join(' | ')}`);
  });
});

/** Environments of the processes in a process group whose command line contains `marker` (Linux /proc). */
function environmentsOf(processGroup: number, marker: string): Map<string, string>[] {
  const found: Map<string, string>[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The group id is field 5 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so split after it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== processGroup) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) continue;
      const pairs = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').filter(Boolean);
      found.push(new Map(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])));
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

/** Titles of the manifest's commands in the "Tiller" category. */
function contributedTillerCommandTitles(sourceDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(sourceDir, 'package.json'), 'utf8')) as {
    contributes?: { commands?: { title?: unknown; category?: unknown }[] };
  };
  return (manifest.contributes?.commands ?? [])
    .filter((command) => command.category === 'Tiller' && typeof command.title === 'string')
    .map((command) => command.title as string);
}
