// The chat webview in a real VS Code (code-server + Chromium + the fixture model server): first run shows the setup
// form; testing the connection lists the fixture's models; saving makes the view ready. A task then streams markdown,
// asks to run a shell command as a card that shows the command, why the policy asked and the exact rule "Always"
// would write; approving once runs it and the outcome appears with its totals; the trace viewer shows the model
// calls and the context inspector every item of the last prompt. @-mention completion inserts a file. Screenshots: test-results/e2e/webview-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest, ScriptedReply } from '../fixtures/model-server.js';
import { E2E, e2eSkip, openWorkbench, type Workbench } from './workbench.js';

const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;
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

void describe('the chat webview: setup form, tool card, approval, outcome', { skip: e2eSkip('the webview e2e test') }, () => {
  let wb: Workbench | undefined;

  before(
    async () => {
      wb = await openWorkbench({
        name: 'webview',
        shotPrefix: 'webview',
        model: { script: (req) => script(req), models: ['fixture-large', 'fixture-small'] },
        viewport: { width: 1500, height: 950 },
        // Nothing configured: the view must offer setup. Empty values hide any the test runner has.
        env: ({ runDir }) => ({ TILLER_BASE_URL: '', TILLER_MODEL: '', TILLER_API_KEY: '', OPENAI_API_KEY: '', TILLER_HOME: join(runDir, 'tiller-home') }),
      });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await wb?.close();
  });

  void test('set up the endpoint, run a task, approve the tool card, see the outcome', { timeout: 8 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb && wb.model);
    const { model, workspace, shot, chat } = wb;
    await wb.openTillerView();

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
    assert.equal(await chat().locator('.panel-table:not(.ledger) tr:not(.tools-row)').count(), 3, 'a header row and one row per model call');
    // Below the steps, the cost ledger: where the money went, by agent, MCP server, tool and model.
    await chat().locator('.panel-table.ledger td', { hasText: 'server: shell' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().locator('.panel-table.ledger td', { hasText: 'agent: main' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('trace-viewer');
    await chat().getByRole('button', { name: 'Context inspector' }).click();
    // Every item of the last prompt with its tokens and reason, from the harness: the task is one of them.
    await chat().locator('.panel-table td', { hasText: 'task: task' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await chat().locator('.panel-note', { hasText: 'prompt tokens used' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('context-inspector');
  });
});
