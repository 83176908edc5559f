// Runs the in-extension-host suite (test/vscode/suite.ts, built to dist/vscode-tests.js) inside code-server's real
// extension host: code-server starts with TILLER_VSCODE_TESTS naming a results file, the workbench opens Tiller's view
// (which activates the extension and, with it, the suite), and this driver asserts on the results the suite wrote.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { QUIET_WORKBENCH_SETTINGS, ensureVsCodeServer, findChromium, startVsCodeServer, type RunningVsCodeServer } from '../../scripts/vscode-server.mjs';
import { REPO_ROOT, buildExtension, copySampleWorkspace, installUnpackedExtension } from '../../scripts/extension-install.mjs';

const skip = process.env.TILLER_SKIP_E2E === '1' ? 'TILLER_SKIP_E2E=1: the in-extension-host suite was skipped' : false;
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const SETUP_TIMEOUT_MS = 15 * 60_000;
const UI_TIMEOUT_MS = 60_000;

interface Results {
  done: boolean;
  results: { name: string; ok: boolean; error?: string }[];
}

void describe('the in-extension-host suite, run in code-server', { skip }, () => {
  let runDir: string | undefined;
  let server: RunningVsCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let resultsFile = '';

  before(
    async () => {
      await ensureVsCodeServer();
      buildExtension();
      assert.ok(existsSync(join(REPO_ROOT, 'dist', 'vscode-tests.js')), 'dist/vscode-tests.js was not built');
      runDir = mkdtempSync(join(tmpdir(), 'tiller-vscode-suite-'));
      resultsFile = join(runDir, 'results.json');
      const extensionsDir = join(runDir, 'extensions');
      installUnpackedExtension({ extensionsDir, sourceDir: REPO_ROOT });
      const workspace = copySampleWorkspace({ parent: runDir });
      server = await startVsCodeServer({
        workspace,
        extensionsDir,
        userDataDir: join(runDir, 'user-data'),
        logFile: join(runDir, 'code-server.log'),
        settings: QUIET_WORKBENCH_SETTINGS,
        env: { TILLER_VSCODE_TESTS: resultsFile, TILLER_HOME: join(runDir, 'tiller-home') },
      });
      browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS });
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page?.screenshot({ path: join(SCREENSHOTS, 'vscode-suite-last.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (runDir) rmSync(runDir, { recursive: true, force: true });
  });

  void test('every in-host test passes', { timeout: 3 * UI_TIMEOUT_MS }, async () => {
    assert.ok(page, 'the workbench page did not open');
    // Opening the view activates the extension (activation event onView:tiller.chat), which starts the suite.
    const item = page.locator('[id="workbench.parts.activitybar"] [aria-label^="Tiller"]').first();
    await item.waitFor({ timeout: UI_TIMEOUT_MS });
    await item.click();
    const results = await poll(() => (existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Results) : undefined), 2 * UI_TIMEOUT_MS);
    await page.screenshot({ path: join(SCREENSHOTS, 'vscode-suite.png') });
    assert.ok(results.results.length >= 5, `only ${results.results.length} results`);
    const failed = results.results.filter((r) => !r.ok);
    assert.deepEqual(failed, [], failed.map((f) => `${f.name}: ${f.error}`).join('\n'));
  });
});

/** Polls until `read` returns a value (no fixed sleeps in assertions: the bound is only a give-up limit). */
async function poll<T>(read: () => T | undefined, timeoutMs: number): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`gave up after ${timeoutMs} ms: the in-host suite wrote no results`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
