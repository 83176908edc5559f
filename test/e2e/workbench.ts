// The setup every e2e file shares: code-server with the unpacked extension installed, a copy of the sample workspace,
// optionally the fixture model server, and headless Chromium (playwright-core) on the opened workbench. Each file says
// only what differs (the server's environment, the viewport, the screenshot names) and keeps its own steps.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { QUIET_WORKBENCH_SETTINGS, ensureVsCodeServer, findChromium, startVsCodeServer, type RunningVsCodeServer } from '../../scripts/vscode-server.mjs';
import { REPO_ROOT, buildExtension, copySampleWorkspace, installUnpackedExtension } from '../../scripts/extension-install.mjs';
import { startModelServer, type ModelServer, type ModelServerOptions } from '../fixtures/model-server.js';

export const E2E = {
  SCREENSHOTS: join(REPO_ROOT, 'test-results', 'e2e'),
  /** Generous bounds for a shared 2-core machine; the first run also installs code-server. */
  SETUP_TIMEOUT_MS: 15 * 60_000,
  UI_TIMEOUT_MS: 60_000,
} as const;

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The `skip` for a describe: a message when TILLER_SKIP_E2E=1, so a skipped run says what it left out. */
export function e2eSkip(what: string): string | false {
  return process.env.TILLER_SKIP_E2E === '1' ? `TILLER_SKIP_E2E=1: ${what} was skipped` : false;
}

/** The environment of a workbench whose extension talks to the fixture model server, with its own Tiller home. */
export function fixtureModelEnv({ runDir, model }: { runDir: string; model: ModelServer | undefined }): Record<string, string> {
  if (!model) throw new Error('fixtureModelEnv needs the fixture model server: pass the `model` option to openWorkbench');
  return { TILLER_BASE_URL: model.baseUrl, TILLER_MODEL: 'fixture-large', TILLER_HOME: join(runDir, 'tiller-home') };
}

export interface WorkbenchOptions {
  /** Names the temporary run directory (tiller-<name>-XXXX). */
  name: string;
  /** The code-server environment; a function because it may name files in the run directory or the model's URL. */
  env: (run: { runDir: string; model: ModelServer | undefined }) => Record<string, string>;
  /** Starts the fixture model server first (its URL is then available to `env`); closed with the workbench. */
  model?: ModelServerOptions;
  viewport?: { width: number; height: number };
  /** The extension folder to install; the repository by default. */
  sourceDir?: string;
  /** Build the extension first; by default only when installing from the repository. */
  build?: boolean;
  /** When set, `shot(name)` numbers its files `<shotPrefix>-01-<name>.png`, … ; otherwise they are `<name>.png`. */
  shotPrefix?: string;
  /** The screenshot taken when the workbench closes, whatever happened; `<shotPrefix>-99-last` by default. */
  lastShot?: string;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: RunningVsCodeServer;
  model: ModelServer | undefined;
  workspace: string;
  runDir: string;
  /** Screenshot of the whole page into test-results/e2e/ (see `shotPrefix`). */
  shot: (name: string) => Promise<void>;
  /** Runs a command from the command palette by its full title ("Tiller: Accept All Changes"). */
  palette: (command: string) => Promise<void>;
  /** Opens the command palette and types `text` into it. */
  typeInPalette: (text: string) => Promise<void>;
  /** Clicks Tiller's activity-bar item, which opens (and on first use activates) the chat view. */
  openTillerView: () => Promise<void>;
  /** The chat webview's content frame. */
  chat: () => FrameLocator;
  /** Takes the last screenshot and stops everything; each step on its own so one failure leaves nothing behind. */
  close: () => Promise<void>;
}

export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const sourceDir = options.sourceDir ?? REPO_ROOT;
  const lastShot = options.lastShot ?? `${options.shotPrefix ?? 'e2e'}-99-last`;
  let runDir: string | undefined;
  let model: ModelServer | undefined;
  let server: RunningVsCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;

  const close = async (): Promise<void> => {
    mkdirSync(E2E.SCREENSHOTS, { recursive: true });
    await page?.screenshot({ path: join(E2E.SCREENSHOTS, `${lastShot}.png`) }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await model?.close();
    if (runDir && process.env.TILLER_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
  };

  try {
    await ensureVsCodeServer();
    if (options.build ?? sourceDir === REPO_ROOT) buildExtension();
    if (options.model) model = await startModelServer(options.model);
    runDir = mkdtempSync(join(tmpdir(), `tiller-${options.name}-`));
    const extensionsDir = join(runDir, 'extensions');
    installUnpackedExtension({ extensionsDir, sourceDir });
    const workspace = copySampleWorkspace({ parent: runDir });
    server = await startVsCodeServer({
      workspace,
      extensionsDir,
      userDataDir: join(runDir, 'user-data'),
      logFile: join(runDir, 'code-server.log'),
      settings: QUIET_WORKBENCH_SETTINGS,
      env: options.env({ runDir, model }),
    });
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: E2E.UI_TIMEOUT_MS });
    return workbench({ page, browser, server, model, workspace, runDir, shotPrefix: options.shotPrefix, close });
  } catch (error) {
    // The caller gets no workbench to close, so a half-started one is stopped here.
    await close();
    throw error;
  }
}

function workbench(parts: Pick<Workbench, 'page' | 'browser' | 'server' | 'model' | 'workspace' | 'runDir' | 'close'> & { shotPrefix: string | undefined }): Workbench {
  const { page, shotPrefix } = parts;
  let step = 0;
  const typeInPalette = async (text: string): Promise<void> => {
    await page.keyboard.press('F1');
    const box = page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible', timeout: E2E.UI_TIMEOUT_MS });
    await box.fill(text);
  };
  return {
    page,
    browser: parts.browser,
    server: parts.server,
    model: parts.model,
    workspace: parts.workspace,
    runDir: parts.runDir,
    close: parts.close,
    typeInPalette,
    shot: async (name) => {
      mkdirSync(E2E.SCREENSHOTS, { recursive: true });
      const file = shotPrefix === undefined ? `${name}.png` : `${shotPrefix}-${String(++step).padStart(2, '0')}-${name}.png`;
      await page.screenshot({ path: join(E2E.SCREENSHOTS, file) });
    },
    palette: async (command) => {
      await typeInPalette(`>${command}`);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: command }).first().waitFor({ timeout: E2E.UI_TIMEOUT_MS });
      await page.keyboard.press('Enter');
    },
    openTillerView: async () => {
      const item = page.locator('[id="workbench.parts.activitybar"] [aria-label^="Tiller"]').first();
      await item.waitFor({ timeout: E2E.UI_TIMEOUT_MS });
      await item.click();
    },
    chat: () => {
      return page.frameLocator('iframe.webview').first().frameLocator('iframe#active-frame');
    },
  };
}

/**
 * Polls until `read` gives something other than undefined or false, and returns it. No fixed sleeps in assertions:
 * the bound is only a give-up limit.
 */
export async function poll<T>(read: () => T | Promise<T>, timeoutMs: number, what?: string): Promise<Exclude<T, undefined | false>> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
    if (Date.now() - start > timeoutMs) throw new Error(`gave up after ${timeoutMs} ms${what ? `: ${what}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
