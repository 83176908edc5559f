// The editor's own review of a change set in a real VS Code: when the chat view is not showing, an edit opens VS
// Code's diff editor between the file and Tiller's proposal (a `tiller-proposed:` document). The test rejects the hunk
// at the cursor and accepts the rest from the command palette, then checks that exactly the accepted hunk is on disk.
// Screenshots go to test-results/e2e/editor-review-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest, ScriptedReply } from '../fixtures/model-server.js';
import { E2E, e2eSkip, fixtureModelEnv, openWorkbench, poll, type Workbench } from './workbench.js';

const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;

const COMMENT_BEFORE = '// Amounts enter as strings typed by people';
const COMMENT_AFTER = '// Amounts enter as strings typed by a person';
const FIX_BEFORE = '${abs % 100}`;';
const FIX_AFTER = "${String(abs % 100).padStart(2, '0')}`;";

function script(req: RecordedRequest): ScriptedReply {
  const messages = (req.body?.messages ?? []) as { role: string; content?: unknown }[];
  const text = messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  if (!text.includes('E2E-REVIEW')) return { text: 'Review' };
  if (!messages.some((m) => m.role === 'tool')) {
    return {
      // Time for the test to hide the chat view, so that the edit goes to the editor review.
      delayMs: 4000,
      toolCalls: [{ name: 'workspace__propose_edit', arguments: { path: 'src/money.js', edits: [{ search: COMMENT_BEFORE, replace: COMMENT_AFTER }, { search: FIX_BEFORE, replace: FIX_AFTER }] } }],
    };
  }
  return { text: 'Reviewed in the editor.' };
}

void describe('reviewing an edit in VS Code\'s diff editor', { skip: e2eSkip('the editor-review e2e test') }, () => {
  let wb: Workbench | undefined;

  before(
    async () => {
      wb = await openWorkbench({
        name: 'editor-review',
        shotPrefix: 'editor-review',
        model: { script: (req) => script(req) },
        viewport: { width: 1500, height: 950 },
        env: fixtureModelEnv,
      });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await wb?.close();
  });

  void test('reject the hunk at the cursor, accept the rest, exactly that lands', { timeout: 6 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb);
    const { page, workspace, shot, palette } = wb;
    const original = readFileSync(join(workspace, 'src/money.js'), 'utf8');
    await wb.openTillerView();
    const chat = wb.chat();
    const input = chat.getByRole('textbox', { name: 'Task' });
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill('E2E-REVIEW: pad the cents');
    await chat.getByRole('button', { name: 'Send' }).click();
    // Hide the chat view: with no card to show, the edit goes to the editor.
    await page.locator('[id="workbench.parts.activitybar"] [aria-label^="Explorer"]').first().click();

    const diffEditor = page.locator('.monaco-diff-editor').first();
    await diffEditor.waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('.tab', { hasText: "Tiller's proposal" }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('.editor.modified .view-lines', { hasText: 'typed by a person' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('diff-opened');

    // The cursor starts on the first line of the proposal, in the first hunk (the comment): reject it.
    await diffEditor.locator('.editor.modified .view-lines').click({ position: { x: 5, y: 5 } });
    await palette('Tiller: Reject Change at Cursor');
    await page.locator('.editor.modified .view-lines', { hasText: 'typed by people' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('first-hunk-rejected');
    await palette('Tiller: Accept All Changes');

    // VS Code's save is not atomic (a read can see the file mid-write): wait for the expected bytes, then check once more.
    const expected = original.replace(FIX_BEFORE, FIX_AFTER);
    await poll(() => readFileSync(join(workspace, 'src/money.js'), 'utf8') === expected, UI_TIMEOUT_MS).catch(() => undefined);
    assert.equal(readFileSync(join(workspace, 'src/money.js'), 'utf8'), expected);
    await shot('applied');
  });

  void test('Explain Selection sends a task naming the file and lines to the chat', { timeout: 4 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb);
    const { page, shot, palette } = wb;
    // The review's diff tab closes once it is answered; wait for that before opening another file.
    await poll(async () => (await page.locator('.tab', { hasText: "Tiller's proposal" }).count()) === 0, UI_TIMEOUT_MS);
    // Open receipt.js and select its first two lines. Quick Open can lose focus to a late notification: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await page.keyboard.press('Control+P');
        const box = page.locator('.quick-input-widget input');
        await box.fill('receipt.js', { timeout: 10_000 });
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'receipt.js' }).first().waitFor({ timeout: 10_000 });
        await page.keyboard.press('Enter');
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await page.keyboard.press('Escape');
      }
    }
    await page.locator('.tab.active', { hasText: 'receipt.js' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('.editor-instance .view-lines').first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await palette('Tiller: Explain Selection');
    const chat = wb.chat();
    // The task shows in the transcript as if typed, with the file, the lines and the code.
    const task = chat.locator('*', { hasText: 'Explain what this code does' }).last();
    await task.waitFor({ timeout: UI_TIMEOUT_MS });
    await chat.getByText('@src/receipt.js:1-2').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('explain-selection');
  });
});

