// Runs the in-extension-host suite (test/vscode/suite.ts, built to dist/vscode-tests.js) inside code-server's real
// extension host: code-server starts with TILLER_VSCODE_TESTS naming a results file, the workbench opens Tiller's view
// (which activates the extension and, with it, the suite), and this driver asserts on the results the suite wrote.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/extension-install.mjs';
import { E2E, e2eSkip, openWorkbench, poll, type Workbench } from './workbench.js';

const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;

interface Results {
  done: boolean;
  results: { name: string; ok: boolean; error?: string }[];
}

void describe('the in-extension-host suite, run in code-server', { skip: e2eSkip('the in-extension-host suite') }, () => {
  let wb: Workbench | undefined;
  let resultsFile = '';

  before(
    async () => {
      wb = await openWorkbench({
        name: 'vscode-suite',
        lastShot: 'vscode-suite-last',
        env: ({ runDir }) => {
          // Built by now (openWorkbench builds before it starts code-server).
          assert.ok(existsSync(join(REPO_ROOT, 'dist', 'vscode-tests.js')), 'dist/vscode-tests.js was not built');
          resultsFile = join(runDir, 'results.json');
          return { TILLER_VSCODE_TESTS: resultsFile, TILLER_HOME: join(runDir, 'tiller-home') };
        },
      });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await wb?.close();
  });

  void test('every in-host test passes', { timeout: 3 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb, 'the workbench page did not open');
    // Opening the view activates the extension (activation event onView:tiller.chat), which starts the suite.
    await wb.openTillerView();
    const results = await poll(
      () => (existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Results) : undefined),
      2 * UI_TIMEOUT_MS,
      'the in-host suite wrote no results',
    );
    await wb.shot('vscode-suite');
    assert.ok(results.results.length >= 5, `only ${results.results.length} results`);
    const failed = results.results.filter((r) => !r.ok);
    assert.deepEqual(failed, [], failed.map((f) => `${f.name}: ${f.error}`).join('\n'));
  });
});
