// The chat webview in a real VS Code (code-server + Chromium + the fixture model server): first run shows the setup
// form; testing the connection lists the fixture's models; saving makes the view ready. A task then streams markdown,
// asks to run a shell command as a card that shows the command, why the policy asked and the exact rule "Always"
// would write; approving once runs it and the outcome appears with its totals; the trace viewer shows the model
// calls and the context inspector every item of the last prompt. @-mention completion inserts a file. Screenshots: test-results/e2e/webview-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { QUIET_WORKBENCH_SETTINGS, ensureVsCodeServer, findChromium, startVsCodeServer, type RunningVsCodeServer } from '../../scripts/vscode-server.mjs';
import { REPO_ROOT, buildExtension, copySampleWorkspace, installUnpackedExtension } from '../../scripts/extension-install.mjs';
import { startModelServer, type ModelServer, type RecordedRequest, type ScriptedReply } from '../fixtures/model-server.js';

const skip = process.env.TILLER_SKIP_E2E === '1' ? 'TILLER_SKIP_E2E=1: the webview e2e test was skipped' : false;
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const SETUP_TIMEOUT_MS = 15 * 60_000;
const UI_TIMEOUT_MS = 60_000;
const TASK = 'E2E-UI: leave a note';

function script(req: RecordedRequest): ScriptedReply {
  const messages = (req.body?.messages ?? []) as { role: string; content?: unknown }[];
  const text = messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  if (!text.includes('E2E-UI')) return { text: 'Leave a note' };
  const results = messages.filter((m) => m.role === 'tool').length;
  if (results === 0) {
    return { text: 'I will **record** a note with `touch`:', toolCalls: [{ name: 'shell__run_command', arguments: { command: 'touch ui-note.txt' } }] };
  }
  return { text: '## Finished\n\nThe note exists: `ui-note.txt`.\n\n```sh\nls ui-note.txt\n```' };
}

void describe('the chat webview: setup form, tool card, approval, outcome', { skip }, () => {
  let runDir = '';
  let workspace = '';
  let server: RunningVsCodeServer | undefined;
  let model: ModelServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let step = 0;

  async function shot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page?.screenshot({ path: join(SCREENSHOTS, `webview-${String(++step).padStart(2, '0')}-${name}.png`) });
  }

  function chat(): FrameLocator {
    assert.ok(page);
    return page.frameLocator('iframe.webview').first().frameLocator('iframe#active-frame');
  }

  before(
    async () => {
      await ensureVsCodeServer();
      buildExtension();
      model = await startModelServer({ script: (req) => script(req), models: ['fixture-large', 'fixture-small'] });
      runDir = mkdtempSync(join(tmpdir(), 'tiller-webview-'));
      const extensionsDir = join(runDir, 'extensions');
      installUnpackedExtension({ extensionsDir, sourceDir: REPO_ROOT });
      workspace = copySampleWorkspace({ parent: runDir });
      server = await startVsCodeServer({
        workspace,
        extensionsDir,
        userDataDir: join(runDir, 'user-data'),
        logFile: join(runDir, 'code-server.log'),
        settings: QUIET_WORKBENCH_SETTINGS,
        // Nothing configured: the view must offer setup. Empty values hide any the test runner has.
        env: { TILLER_BASE_URL: '', TILLER_MODEL: '', TILLER_API_KEY: '', OPENAI_API_KEY: '', TILLER_HOME: join(runDir, 'tiller-home') },
      });
      browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS });
      page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await page?.screenshot({ path: join(SCREENSHOTS, 'webview-99-last.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await model?.close();
    if (runDir && process.env.TILLER_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
  });

  void test('set up the endpoint, run a task, approve the tool card, see the outcome', { timeout: 8 * UI_TIMEOUT_MS }, async () => {
    assert.ok(page && model);
    const item = page.locator('[id="workbench.parts.activitybar"] [aria-label^="Tiller"]').first();
    await item.waitFor({ timeout: UI_TIMEOUT_MS });
    await item.click();

    // First run: the setup form. Custom base URL -> the fixture; the test lists its models.
    const provider = chat().getByRole('combobox', { name: 'Provider' });
    await provider.waitFor({ timeout: UI_TIMEOUT_MS });
    await provider.selectOption('custom');
    await chat().getByRole('textbox', { name: 'Base URL' }).fill(model.baseUrl);
    await shot('setup-form');
    await chat().getByRole('button', { name: 'Test connection' }).click();
    await chat().getByText('Connected: 2 models available').waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().getByRole('combobox', { name: 'Model', exact: true }).selectOption('fixture-large');
    await chat().getByRole('combobox', { name: 'Small model (titles, summaries)' }).selectOption('fixture-small');
    await shot('setup-tested');
    await chat().getByRole('button', { name: 'Save', exact: true }).click();
    // Saved settings make the view ready: the form goes away and the model button names the model.
    await chat().getByRole('button', { name: /Model: fixture-large/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    await provider.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await shot('configured');

    // @-mention completion: typing `@car` lists the workspace file, Enter inserts it.
    const input = chat().getByRole('textbox', { name: 'Task' });
    await input.pressSequentially('look at @car');
    await chat().locator('.mention', { hasText: 'src/cart.js' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('mention-list');
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'look at @src/cart.js ');

    // A task: the reply streams as markdown, then the shell command comes as a card.
    await input.fill(TASK);
    await input.press('Enter');
    const approveOnce = chat().getByRole('button', { name: 'Approve once' });
    await approveOnce.waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().locator('.card-command', { hasText: 'touch ui-note.txt' }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.equal(await chat().locator('.assistant strong', { hasText: 'record' }).count(), 1, 'markdown emphasis is rendered as an element');
    assert.ok((await chat().locator('.card-why').innerText()).length > 10, 'the card says why the policy asked');
    // "Always" shows the exact rule before anything is saved; cancel it and approve once instead.
    await chat().getByRole('button', { name: 'Always…' }).click();
    await chat().locator('.always-rule', { hasText: 'shell(touch ui-note.txt)' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('tool-card-always-rule');
    await chat().getByRole('button', { name: 'Cancel' }).click();
    await shot('tool-card');
    await approveOnce.click();

    // The outcome: the card says approved, the final answer renders with a code block, and the totals show.
    await chat().locator('.card-outcome', { hasText: 'approved' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().locator('.outcome-status', { hasText: 'Done' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().locator('.assistant h2', { hasText: 'Finished' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().getByRole('button', { name: 'Copy' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('outcome');
    assert.ok(existsSync(join(workspace, 'ui-note.txt')), 'the approved command ran');
    assert.equal(existsSync(join(workspace, '.tiller', 'permissions.json')), false, 'a cancelled "Always" wrote no rule');

    // The trace viewer lists the task's two model calls, the first with its approved shell call.
    await chat().getByRole('button', { name: 'Trace viewer' }).click();
    await chat().locator('.panel-table td.tools', { hasText: 'shell.run_command' }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.equal(await chat().locator('.panel-table tr:not(.tools-row)').count(), 3, 'a header row and one row per model call');
    await shot('trace-viewer');
    await chat().getByRole('button', { name: 'Context inspector' }).click();
    // Every item of the last prompt with its tokens and reason, from the harness: the task is one of them.
    await chat().locator('.panel-table td', { hasText: 'task: task' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().locator('.panel-note', { hasText: 'prompt tokens used' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('context-inspector');
  });
});
