// A whole task in a real VS Code: code-server with Tiller installed, the fixture model server playing a scripted task,
// Chromium driving the workbench. Open the sidebar, send a task in plan mode, see the streamed plan and approve it,
// approve a shell command card, review two edits (reject one hunk, accept the rest), check on disk that exactly the
// accepted hunks landed, then restore the first checkpoint from the palette and check every file is byte-identical to
// how it was before the task. Screenshots of each step go to test-results/e2e/task-flow-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { QUIET_WORKBENCH_SETTINGS, ensureVsCodeServer, findChromium, startVsCodeServer, type RunningVsCodeServer } from '../../scripts/vscode-server.mjs';
import { REPO_ROOT, buildExtension, copySampleWorkspace, installUnpackedExtension } from '../../scripts/extension-install.mjs';
import { startModelServer, type ModelServer, type RecordedRequest, type ScriptedReply } from '../fixtures/model-server.js';

const skip = process.env.TILLER_SKIP_E2E === '1' ? 'TILLER_SKIP_E2E=1: the task-flow e2e test was skipped' : false;
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const SETUP_TIMEOUT_MS = 15 * 60_000;
const UI_TIMEOUT_MS = 60_000;

const TASK = 'E2E-TASK: fix the receipt formatting of cents';
const PLAN = 'Plan:\n1. Record a note of the work\n2. Pad cents to two digits in formatCents\n3. Reword the comment in cart.js';
const COMMENT_BEFORE = '// Amounts enter as strings typed by people';
const COMMENT_AFTER = '// Amounts enter as strings typed by a person';
const FIX_BEFORE = '${abs % 100}`;';
const FIX_AFTER = "${String(abs % 100).padStart(2, '0')}`;";
const CART_BEFORE = '/** Discount codes and the percentage they take off the subtotal. */';
const CART_AFTER = '/** Discount codes, and the percentage each takes off the subtotal. */';

function lastUserText(req: RecordedRequest): string {
  const messages = (req.body?.messages ?? []) as { role: string; content?: unknown }[];
  return messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
}

/** The scripted model, as a function of what it is sent (side requests such as titles get a short text). */
function script(req: RecordedRequest): ScriptedReply {
  const messages = (req.body?.messages ?? []) as { role: string }[];
  const all = lastUserText(req);
  if (!all.includes('E2E-TASK')) return { text: 'Receipt cents' };
  if (!all.includes('Approved plan')) return { text: PLAN };
  const toolResults = messages.filter((m) => m.role === 'tool').length;
  if (toolResults === 0) return { text: 'Recording a note first.', toolCalls: [{ name: 'shell__run_command', arguments: { command: 'touch notes.txt' } }] };
  if (toolResults === 1) {
    return {
      text: 'Now the edits.',
      toolCalls: [
        {
          name: 'workspace__propose_edit',
          arguments: { path: 'src/money.js', edits: [{ search: COMMENT_BEFORE, replace: COMMENT_AFTER }, { search: FIX_BEFORE, replace: FIX_AFTER }], description: 'pad cents' },
        },
        { name: 'workspace__propose_edit', arguments: { path: 'src/cart.js', edits: [{ search: CART_BEFORE, replace: CART_AFTER }], description: 'reword' } },
      ],
    };
  }
  return { text: 'Done: cents are padded to two digits.' };
}

/** Every non-.git file under dir with its bytes. */
function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

void describe('a scripted task from the sidebar to a restored checkpoint', { skip }, () => {
  let runDir = '';
  let workspace = '';
  let server: RunningVsCodeServer | undefined;
  let model: ModelServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let step = 0;

  async function shot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page?.screenshot({ path: join(SCREENSHOTS, `task-flow-${String(++step).padStart(2, '0')}-${name}.png`) });
  }

  function chat(): FrameLocator {
    assert.ok(page);
    return page.frameLocator('iframe.webview').first().frameLocator('iframe#active-frame');
  }

  before(
    async () => {
      await ensureVsCodeServer();
      buildExtension();
      model = await startModelServer({ script: (req) => script(req) });
      runDir = mkdtempSync(join(tmpdir(), 'tiller-task-flow-'));
      const extensionsDir = join(runDir, 'extensions');
      installUnpackedExtension({ extensionsDir, sourceDir: REPO_ROOT });
      workspace = copySampleWorkspace({ parent: runDir });
      server = await startVsCodeServer({
        workspace,
        extensionsDir,
        userDataDir: join(runDir, 'user-data'),
        logFile: join(runDir, 'code-server.log'),
        settings: QUIET_WORKBENCH_SETTINGS,
        env: { TILLER_BASE_URL: model.baseUrl, TILLER_MODEL: 'fixture-large', TILLER_HOME: join(runDir, 'tiller-home') },
      });
      browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS });
      page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await page?.screenshot({ path: join(SCREENSHOTS, 'task-flow-99-last.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await model?.close();
    if (runDir && process.env.TILLER_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
  });

  void test('plan, tool card, per-hunk review, files on disk, checkpoint restore', { timeout: 10 * UI_TIMEOUT_MS }, async () => {
    assert.ok(page && model);
    const original = filesOf(workspace);
    const originalMoney = readFileSync(join(workspace, 'src/money.js'), 'utf8');
    const originalCart = readFileSync(join(workspace, 'src/cart.js'), 'utf8');

    // 1. Open the sidebar.
    const item = page.locator('[id="workbench.parts.activitybar"] [aria-label^="Tiller"]').first();
    await item.waitFor({ timeout: UI_TIMEOUT_MS });
    await item.click();
    const input = chat().getByRole('textbox', { name: 'Task' });
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await shot('sidebar');

    // 2. Send the task in plan mode; the plan streams in and comes up for approval.
    await chat().getByRole('combobox', { name: 'Mode' }).selectOption('plan');
    await input.fill(TASK);
    await chat().getByRole('button', { name: 'Send' }).click();
    await chat().getByText('Pad cents to two digits in formatCents').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('streamed-plan');
    const approvePlan = chat().getByRole('button', { name: 'Approve plan' });
    await approvePlan.waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('plan-card');
    await approvePlan.click();

    // 3. The shell command comes as a card; approve it once.
    const approveOnce = chat().getByRole('button', { name: 'Approve once' });
    await approveOnce.waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().getByText('touch notes.txt').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('tool-card');
    await approveOnce.click();

    // 4. The edit to money.js has two hunks: reject the first (the comment), accept the rest.
    const firstHunk = chat().getByRole('checkbox', { name: 'Accept change 1 of src/money.js' });
    await firstHunk.waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().getByRole('checkbox', { name: 'Accept change 2 of src/money.js' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('diff-money');
    await firstHunk.uncheck();
    await shot('diff-money-one-rejected');
    await chat().getByRole('button', { name: 'Apply selected' }).last().click();

    // 5. The second file's edit: accept it.
    const cartHunk = chat().getByRole('checkbox', { name: 'Accept change 1 of src/cart.js' });
    await cartHunk.waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('diff-cart');
    await chat().getByRole('button', { name: 'Apply selected' }).last().click();
    await chat().getByText('Done: cents are padded to two digits.').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('done');

    // 6. Exactly the accepted hunks are on disk.
    // VS Code's save is not atomic (a read can see a file mid-write): wait for the expected bytes, then check.
    const cartExpected = originalCart.replace(CART_BEFORE, CART_AFTER);
    await poll(() => readFileSync(join(workspace, 'src/cart.js'), 'utf8') === cartExpected, UI_TIMEOUT_MS).catch(() => undefined);
    assert.equal(readFileSync(join(workspace, 'src/money.js'), 'utf8'), originalMoney.replace(FIX_BEFORE, FIX_AFTER));
    assert.equal(readFileSync(join(workspace, 'src/cart.js'), 'utf8'), originalCart.replace(CART_BEFORE, CART_AFTER));
    assert.ok(existsSync(join(workspace, 'notes.txt')), 'the approved shell command ran');

    // 7. Restore the first checkpoint (taken before the shell command) from the palette.
    await page.keyboard.press('F1');
    const box = page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await box.fill('>Tiller: Restore Checkpoint');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Restore Checkpoint' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    const oldest = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Before running' }).last();
    await oldest.waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('checkpoint-pick');
    await oldest.click();
    const restore = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Restore' });
    await restore.waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('checkpoint-confirm');
    await restore.click();
    // The restore reports when it is done; only then is the disk compared.
    await page.locator('.notifications-toasts', { hasText: 'Tiller restored' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('restored');
    assert.equal(existsSync(join(workspace, 'notes.txt')), false, 'the file the shell command created is gone');
    assert.deepEqual(filesOf(workspace), original);
  });
});

async function poll(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
