// A whole task in a real VS Code: code-server with Tiller installed, the fixture model server playing a scripted task,
// Chromium driving the workbench. Open the sidebar, send a task in plan mode, see the streamed plan and approve it,
// approve a shell command card, review two edits (reject one hunk, accept the rest), check on disk that exactly the
// accepted hunks landed, then restore the first checkpoint from the palette and check every file is byte-identical to
// how it was before the task. Screenshots of each step go to test-results/e2e/task-flow-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RecordedRequest, ScriptedReply } from '../fixtures/model-server.js';
import { E2E, e2eSkip, fixtureModelEnv, openWorkbench, poll, type Workbench } from './workbench.js';

const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;

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
          // One change set spanning two files.
          name: 'workspace__propose_edit',
          arguments: {
            path: 'src/money.js',
            edits: [{ search: COMMENT_BEFORE, replace: COMMENT_AFTER }, { search: FIX_BEFORE, replace: FIX_AFTER }],
            also: [{ path: 'src/cart.js', edits: [{ search: CART_BEFORE, replace: CART_AFTER }] }],
            description: 'pad cents and reword the cart comment',
          },
        },
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

void describe('a scripted task from the sidebar to a restored checkpoint', { skip: e2eSkip('the task-flow e2e test') }, () => {
  let wb: Workbench | undefined;

  before(
    async () => {
      wb = await openWorkbench({
        name: 'task-flow',
        shotPrefix: 'task-flow',
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

  void test('plan, tool card, per-hunk review, files on disk, checkpoint restore', { timeout: 10 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb && wb.model);
    const { page, workspace, shot, chat } = wb;
    const original = filesOf(workspace);
    const originalMoney = readFileSync(join(workspace, 'src/money.js'), 'utf8');
    const originalCart = readFileSync(join(workspace, 'src/cart.js'), 'utf8');

    // 1. Open the sidebar.
    await wb.openTillerView();
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

    // 4. One diff over two files: money.js has two hunks, cart.js one. Reject money.js's first hunk (the comment),
    // accept the rest, apply once.
    const firstHunk = chat().getByRole('checkbox', { name: 'Accept change 1 of src/money.js' });
    await firstHunk.waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().getByRole('checkbox', { name: 'Accept change 2 of src/money.js' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().getByRole('checkbox', { name: 'Accept change 1 of src/cart.js' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('diff-two-files');
    await firstHunk.uncheck();
    await shot('diff-two-files-one-rejected');
    await chat().getByRole('button', { name: 'Apply selected' }).last().click();
    await chat().getByText('Done: cents are padded to two digits.').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('done');

    // 5. Exactly the accepted hunks are on disk.
    // VS Code's save is not atomic (a read can see a file mid-write): wait for the expected bytes, then check.
    const cartExpected = originalCart.replace(CART_BEFORE, CART_AFTER);
    await poll(() => readFileSync(join(workspace, 'src/cart.js'), 'utf8') === cartExpected, UI_TIMEOUT_MS).catch(() => undefined);
    assert.equal(readFileSync(join(workspace, 'src/money.js'), 'utf8'), originalMoney.replace(FIX_BEFORE, FIX_AFTER));
    assert.equal(readFileSync(join(workspace, 'src/cart.js'), 'utf8'), originalCart.replace(CART_BEFORE, CART_AFTER));
    assert.ok(existsSync(join(workspace, 'notes.txt')), 'the approved shell command ran');

    // 6. Restore the first checkpoint (taken before the shell command) from the palette.
    await wb.palette('Tiller: Restore Checkpoint');
    const oldest = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Before running' }).last();
    await oldest.waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('checkpoint-pick');
    await oldest.click();
    const restore = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Restore' });
    await restore.waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('checkpoint-confirm');
    await restore.click();
    // The restore reports when it is done; only then is the disk compared.
    await page.locator('.notifications-toasts', { hasText: 'Restored the checkpoint' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('restored');
    assert.equal(existsSync(join(workspace, 'notes.txt')), false, 'the file the shell command created is gone');
    assert.deepEqual(filesOf(workspace), original);
  });
});

