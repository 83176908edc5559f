// Setting Tiller up and looking after it, in a real VS Code (code-server + Chromium): the setup form saves a typed
// model name against an endpoint whose /v1/models answers 404 (a small HTTP server here, like many vLLM, LM Studio
// and proxy setups); *Tiller: Open Settings* lands where the machine-scoped settings are (the Remote tab in
// code-server); the MCP Servers view lists the built-in servers and a user server whose command writes to stderr and
// exits, and after a restart shows it failed with those stderr lines. Screenshots: test-results/e2e/admin-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { E2E, e2eSkip, openWorkbench, poll, type Workbench } from './workbench.js';

const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;
const TYPED_MODEL = 'my-served-model';
const FAILING_SERVER = 'flaky-docs';
// Writes two lines to stderr and exits before speaking MCP, as a server missing its token would.
const FAILING_SCRIPT = "console.error('flaky-docs: starting'); console.error('Error: FLAKY_DOCS_TOKEN is not set'); process.exit(3)";

/** An OpenAI-compatible endpoint without a model list: every path answers 404, as a bare vLLM route table would. */
async function endpointWithoutModelList(): Promise<{ baseUrl: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.statusCode = 404;
    res.setHeader('content-type', 'application/json');
    res.end('{"detail":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests, server };
}

/** Machine-scoped settings of a remote window (code-server is one) live in the server's Machine/settings.json. */
function machineSettings(runDir: string): string {
  return join(runDir, 'user-data', 'Machine', 'settings.json');
}

void describe('setup without a model list, the settings, the MCP servers view', { skip: e2eSkip('the admin views e2e test') }, () => {
  let wb: Workbench | undefined;
  let endpoint: Awaited<ReturnType<typeof endpointWithoutModelList>> | undefined;

  before(
    async () => {
      endpoint = await endpointWithoutModelList();
      wb = await openWorkbench({
        name: 'admin',
        shotPrefix: 'admin',
        viewport: { width: 1500, height: 950 },
        env: ({ runDir }) => {
          // Before the server starts: the user's MCP server, where a remote window reads machine-scoped settings.
          mkdirSync(join(runDir, 'user-data', 'Machine'), { recursive: true });
          writeFileSync(
            machineSettings(runDir),
            `${JSON.stringify({ 'tiller.mcpServers': { [FAILING_SERVER]: { command: process.execPath, args: ['-e', FAILING_SCRIPT] } } }, null, 2)}\n`,
          );
          // Nothing else configured: the view must offer setup. Empty values hide any the test runner has.
          return { TILLER_BASE_URL: '', TILLER_MODEL: '', TILLER_API_KEY: '', OPENAI_API_KEY: '', TILLER_HOME: join(runDir, 'tiller-home') };
        },
      });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await wb?.close();
    endpoint?.server.close();
  });

  void test('the setup form saves a typed model when /v1/models answers 404', { timeout: 4 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb && endpoint);
    const { chat, shot, runDir } = wb;
    await wb.openTillerView();
    const provider = chat().getByRole('combobox', { name: 'Provider' });
    await provider.waitFor({ timeout: UI_TIMEOUT_MS });
    await provider.selectOption('vllm');
    await chat().getByRole('textbox', { name: 'Base URL' }).fill(endpoint.baseUrl);
    await chat().getByRole('button', { name: 'Test connection' }).click();
    // Not an error: connected, no list, and why.
    const status = chat().locator('.setup-status');
    await status.filter({ hasText: 'Connected, but there is no model list' }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await status.innerText(), /\/v1\/models answered 404: this server does not list its models/);
    assert.ok(endpoint.requests.includes('GET /v1/models'), endpoint.requests.join(', '));
    const model = chat().getByRole('textbox', { name: 'Model', exact: true });
    await model.fill(TYPED_MODEL);
    await shot('setup-typed-model');
    await chat().getByRole('button', { name: 'Save', exact: true }).click();
    // Saved: the form goes away and the model button names the typed model.
    await chat().getByRole('button', { name: new RegExp(`Model: ${TYPED_MODEL}`) }).waitFor({ timeout: UI_TIMEOUT_MS });
    await provider.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await shot('setup-saved');
    // Written to the user's settings (the remote ones, where machine-scoped settings live), never the workspace's.
    const written = await poll(() => {
      for (const file of [machineSettings(runDir), join(runDir, 'user-data', 'User', 'settings.json')]) {
        if (existsSync(file) && readFileSync(file, 'utf8').includes(`"tiller.model": "${TYPED_MODEL}"`)) return file;
      }
      return undefined;
    }, UI_TIMEOUT_MS, 'tiller.model in the user settings');
    assert.ok(!existsSync(join(wb.workspace, '.vscode', 'settings.json')) || !readFileSync(join(wb.workspace, '.vscode', 'settings.json'), 'utf8').includes('tiller.'));
    console.log(`[admin e2e] tiller.model saved in ${written}`);
  });

  void test('Tiller: Open Settings lands on the tab that holds the machine-scoped settings', { timeout: 2 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb);
    const { page, shot } = wb;
    await wb.palette('Tiller: Open Settings');
    const editor = page.locator('.settings-editor');
    await editor.waitFor({ timeout: UI_TIMEOUT_MS });
    // It lists the machine-scoped settings (Base Url, Model, ...), all 12 of them, on the Remote tab.
    await editor.getByText('Tiller: Base Url').first().waitFor({ timeout: UI_TIMEOUT_MS });
    const count = await poll(async () => {
      const text = (await editor.getByText(/\d+ Settings? Found/).first().innerText().catch(() => '')).trim();
      return /^\d+/.test(text) && text;
    }, UI_TIMEOUT_MS, 'the settings count');
    await shot('open-settings-remote-tab');
    console.log(`[admin e2e] settings count: ${count}`);
    assert.match(count, /^(1[2-9]|[2-9]\d) Settings Found$/, `expected every Tiller setting, found "${count}"`);
    const remoteTab = editor.getByText(/^Remote \[/).first();
    const selected = await remoteTab.evaluate((e) => {
      for (let n: Element | null = e; n; n = n.parentElement) if (n.classList.contains('checked') || n.getAttribute('aria-selected') === 'true' || n.getAttribute('aria-checked') === 'true') return true;
      return e.parentElement?.outerHTML.slice(0, 400) ?? 'no parent';
    });
    assert.equal(selected, true, `the Remote tab is not the selected one: ${String(selected)}`);
    // The Settings editor opens as a modal here: close it so the palette works again.
    await page.keyboard.press('Escape');
    const modal = page.locator('.monaco-modal-editor-block');
    if (await modal.isVisible()) await modal.locator('[aria-label^="Close"]').first().click();
    await modal.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  });

  void test('the MCP Servers view shows a failed user server with its stderr', { timeout: 4 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb);
    const { page, shot } = wb;
    await wb.palette('Tiller: Manage MCP Servers');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'MCP Servers' }) });
    const row = (name: string) => view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
    // The built-ins and the configured server, each saying where it comes from and that it starts with a task.
    for (const name of ['workspace', 'shell', FAILING_SERVER]) await row(name).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await row(FAILING_SERVER).innerText(), /not running: starts with the next task/);
    await shot('mcp-view-idle');

    // Restart with no task running starts the server on its own to see whether it works.
    await row(FAILING_SERVER).hover();
    await row(FAILING_SERVER).getByRole('button', { name: 'Restart MCP Server' }).click();
    await view.locator('.monaco-list-row', { hasText: /failed \(last run\): could not connect/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    // Its stderr, expanded under it: the lines it wrote before exiting.
    await view.locator('.monaco-list-row', { hasText: 'Error: FLAKY_DOCS_TOKEN is not set' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await view.locator('.monaco-list-row', { hasText: 'flaky-docs: starting' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await view.locator('.monaco-list-row', { hasText: /Configured in .*tiller\.mcpServers/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await row(FAILING_SERVER).innerText(), /exited with code 3/);
    await shot('mcp-view-failed-stderr');

    // "Configured in" opens the settings file that holds it.
    await view.locator('.monaco-list-row', { hasText: /Configured in .*tiller\.mcpServers/ }).click();
    await page.locator('.editor-instance .view-lines', { hasText: 'tiller.mcpServers' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('mcp-config-opened');
  });
});
