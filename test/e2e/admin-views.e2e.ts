// Setting Tiller up and looking after it, in a real VS Code (code-server + Chromium): the setup form saves a typed
// model name against an endpoint whose /v1/models answers 404 (a small HTTP server here, like many vLLM, LM Studio
// and proxy setups); *Tiller: Open Settings* lands where the machine-scoped settings are (the Remote tab in
// code-server); the MCP Servers view lists the built-in servers and a user server whose command writes to stderr and
// exits, and after a restart shows it failed with those stderr lines; during a task it is live (restart, stop); a
// server the repository brings waits for consent. Screenshots: test-results/e2e/admin-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { RecordedRequest, ScriptedReply } from '../fixtures/model-server.js';
import { REPO_ROOT } from '../../scripts/extension-install.mjs';
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

const TASK = 'E2E-MCP: leave a note';

/** The fixture model's part in the live scenario: one shell command (which waits for approval), then a summary. */
function script(req: RecordedRequest): ScriptedReply {
  const messages = (req.body?.messages ?? []) as { role: string; content?: unknown }[];
  const text = messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  if (!text.includes('E2E-MCP')) return { text: 'A note' };
  if (messages.some((m) => m.role === 'tool')) return { text: 'Finished.' };
  return { text: 'I will leave a note.', toolCalls: [{ name: 'shell__run_command', arguments: { command: 'touch mcp-note.txt' } }] };
}

/** The sidebar wider (drag its sash), so the tree's lines can be read in the screenshots. */
async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('[id="workbench.parts.sidebar"]').boundingBox();
  assert.ok(box, 'no sidebar');
  const x = box.x + box.width;
  await page.mouse.move(x, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Collapses or expands a view of the sidebar by its header. */
async function setPaneExpanded(page: Page, title: string, expanded: boolean): Promise<void> {
  const header = page.locator('.pane-header', { hasText: new RegExp(`^${title}`) }).first();
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
  await poll(async () => (await header.getAttribute('aria-expanded')) === String(expanded), UI_TIMEOUT_MS, `${title} ${expanded ? 'expanded' : 'collapsed'}`);
}

/** Editors open as modals in this workbench (Settings, settings.json): close one so the palette works again. */
async function closeModalEditor(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  const modal = page.locator('.monaco-modal-editor-block');
  if (await modal.isVisible()) await modal.locator('[aria-label^="Close"]').first().click();
  await modal.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
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
        model: { script: (req) => script(req), models: ['fixture-large'] },
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
    await closeModalEditor(page);
  });

  void test('the MCP Servers view shows a failed user server with its stderr', { timeout: 4 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb);
    const { page, shot } = wb;
    await wb.palette('Tiller: Manage MCP Servers');
    // Room to read the tree: a wider sidebar, the chat folded away for now.
    await widenSidebar(page, 720);
    await setPaneExpanded(page, 'Chat', false);
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
    await view.getByRole('treeitem', { name: 'Error: FLAKY_DOCS_TOKEN is not set', exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await view.getByRole('treeitem', { name: 'flaky-docs: starting', exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await view.locator('.monaco-list-row', { hasText: /Configured in .*tiller\.mcpServers/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await row(FAILING_SERVER).innerText(), /exited with code 3/);
    await shot('mcp-view-failed-stderr');

    // "Configured in" opens the settings file that holds it.
    await view.locator('.monaco-list-row', { hasText: /Configured in .*tiller\.mcpServers/ }).click();
    await page.locator('.editor-instance .view-lines', { hasText: 'tiller.mcpServers' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('mcp-config-opened');
    await closeModalEditor(page);
  });

  void test('during a task the view is live: running servers with their pid, restart and stop act on the task', { timeout: 6 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb && wb.model);
    const { page, chat, shot, runDir, model, workspace } = wb;
    // Point Tiller at the fixture model (the typed model's endpoint has no chat either), as a user editing settings would.
    const settings = JSON.parse(readFileSync(machineSettings(runDir), 'utf8')) as Record<string, unknown>;
    writeFileSync(machineSettings(runDir), `${JSON.stringify({ ...settings, 'tiller.baseUrl': model.baseUrl, 'tiller.model': 'fixture-large' }, null, 2)}\n`);
    await setPaneExpanded(page, 'Chat', true);
    await chat().getByRole('button', { name: /Model: fixture-large/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    const input = chat().getByRole('textbox', { name: 'Task' });
    await input.fill(TASK);
    await input.press('Enter');
    // The task now waits for the shell command's approval: its servers are up, and the view says so.
    await chat().getByRole('button', { name: 'Approve once' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await setPaneExpanded(page, 'Chat', false);
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'MCP Servers' }) });
    const row = (name: string) => view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
    const pidOf = async (name: string): Promise<string | false> => /pid (\d+)/.exec(await row(name).innerText().catch(() => ''))?.[1] ?? false;
    const workspacePid = await poll(() => pidOf('workspace'), UI_TIMEOUT_MS, 'the workspace server running with a pid');
    const shellPid = await poll(() => pidOf('shell'), UI_TIMEOUT_MS, 'the shell server running with a pid');
    assert.match(await row('workspace').innerText(), /running · \d+ tools · pid/);
    // The failing user server failed in this task too, live (no "last run").
    await poll(async () => /failed: could not connect/.test(await row(FAILING_SERVER).innerText()), UI_TIMEOUT_MS, 'flaky-docs failed in the task');
    await shot('mcp-view-live');

    // Restart the shell server in the task's host: a new process.
    await row('shell').hover();
    await row('shell').getByRole('button', { name: 'Restart MCP Server' }).click();
    const newShellPid = await poll(async () => {
      const pid = await pidOf('shell');
      return pid !== false && pid !== shellPid && pid;
    }, UI_TIMEOUT_MS, 'the shell server restarted with a new pid');
    // Stop the workspace server: its process ends and the view says who stopped it.
    await row('workspace').hover();
    await row('workspace').getByRole('button', { name: 'Stop MCP Server' }).click();
    await poll(async () => /stopped by you/.test(await row('workspace').innerText()), UI_TIMEOUT_MS, 'the workspace server stopped');
    await poll(() => {
      try {
        process.kill(Number(workspacePid), 0);
        return false;
      } catch {
        return true;
      }
    }, UI_TIMEOUT_MS, `the workspace server's process ${workspacePid} to exit`);
    await shot('mcp-view-restarted-stopped');
    console.log(`[admin e2e] shell pid ${shellPid} -> ${newShellPid}; workspace pid ${workspacePid} stopped`);

    // The approved command runs on the restarted shell server; the task ends and nothing is live any more.
    await setPaneExpanded(page, 'Chat', true);
    await chat().getByRole('button', { name: 'Approve once' }).click();
    await chat().locator('.outcome-status').first().waitFor({ timeout: UI_TIMEOUT_MS });
    assert.ok(existsSync(join(workspace, 'mcp-note.txt')), 'the command ran on the restarted shell server');
    await setPaneExpanded(page, 'Chat', false);
    await poll(async () => /not running: started fine/.test(await row('shell').innerText()), UI_TIMEOUT_MS, 'the shell server not running after the task');
    await shot('mcp-view-after-task');
  });

  void test('a server the repository brings waits for consent; the dialog shows the command, and once agreed it starts', { timeout: 4 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb);
    const { page, shot, workspace } = wb;
    // A real MCP server (the fault-server fixture, well-behaved), added to the workspace's .mcp.json while the view is
    // open. It lives in the workspace, like a server a repository brings: those run in the sandbox, which shows only it.
    const serverJs = join(workspace, 'repo-tools.cjs');
    await build({ entryPoints: [join(REPO_ROOT, 'test', 'fixtures', 'mcp', 'fault-server.ts')], outfile: serverJs, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
    writeFileSync(
      join(workspace, '.mcp.json'),
      `${JSON.stringify({ mcpServers: { 'repo-tools': { command: process.execPath, args: [serverJs, '--mode', 'normal'] } } }, null, 2)}\n`,
    );
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'MCP Servers' }) });
    const row = view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^repo-tools$/ }) });
    await poll(async () => /waiting for consent: asked when a task starts/.test(await row.innerText().catch(() => '')), UI_TIMEOUT_MS, 'repo-tools waiting for consent');
    await shot('mcp-view-needs-consent');
    await row.hover();
    await row.getByRole('button', { name: 'Restart MCP Server' }).click();
    // On a loaded machine the tree can redraw under the pointer, and the button then asks which server (the palette's
    // path): answer it the same way.
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'repo-tools' });
    if (await pick.isVisible({ timeout: 2000 }).catch(() => false)) await pick.click();
    // The consent dialog names the exact command line; the row says it is waiting for the answer.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await dialog.innerText(), /This workspace's \.mcp\.json wants to start the MCP server "repo-tools"[\s\S]*repo-tools\.cjs --mode normal/);
    await poll(async () => /waiting for consent: answer the dialog/.test(await row.innerText().catch(() => '')), UI_TIMEOUT_MS, 'repo-tools waiting for the answer');
    await shot('mcp-consent-dialog');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await poll(async () => /not running: started fine \(\d+ tools\)/.test(await row.innerText().catch(() => '')), UI_TIMEOUT_MS, 'repo-tools checked and fine');
    await shot('mcp-view-consented');
  });
});
