// A slash command from the chat composer in a real VS Code: a Claude Code command file in the workspace, `/` typed in
// the task box shows it with its description and argument hint, Enter inserts it, and sending runs the expansion in
// the extension host: the scripted model receives the command's prompt with the argument in place. A custom agent
// from the workspace is offered in the mode picker. Screenshots: test-results/e2e/slash-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest, ScriptedReply } from '../fixtures/model-server.js';
import { E2E, e2eSkip, fixtureModelEnv, openWorkbench, type Workbench } from './workbench.js';

const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;

function allText(req: RecordedRequest): string {
  return ((req.body?.messages ?? []) as { content?: unknown }[]).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
}

function script(req: RecordedRequest): ScriptedReply {
  const text = allText(req);
  if (text.includes('SLASH-E2E-MARKER')) return { text: 'Checked issue 42 as the command asked.' };
  return { text: 'Slash title' };
}

void describe('a /command from the composer', { skip: e2eSkip('the slash-command e2e test') }, () => {
  let wb: Workbench | undefined;

  before(
    async () => {
      wb = await openWorkbench({ name: 'slash', shotPrefix: 'slash', model: { script }, viewport: { width: 1400, height: 900 }, env: fixtureModelEnv });
      // Written before the chat view opens: the view asks for the commands when it is ready.
      mkdirSync(join(wb.workspace, '.claude', 'commands'), { recursive: true });
      writeFileSync(join(wb.workspace, '.claude', 'commands', 'check-issue.md'), '---\ndescription: Check a reported issue against the code\nargument-hint: [issue-number]\n---\nSLASH-E2E-MARKER: check issue #$ARGUMENTS and say whether it is still open.\n');
      mkdirSync(join(wb.workspace, '.claude', 'agents'), { recursive: true });
      writeFileSync(join(wb.workspace, '.claude', 'agents', 'reviewer.md'), '---\nname: reviewer\ndescription: Reviews changes\ntools: Read, Grep\n---\nYou review code.\n');
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await wb?.close();
  });

  void test('completion lists it with description and hint; sending runs the expanded prompt', { timeout: 6 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb && wb.model);
    const { shot, chat } = wb;
    await wb.openTillerView();
    const input = chat().getByRole('textbox', { name: 'Task' });
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    await input.click();
    await input.pressSequentially('/chec');
    const list = chat().getByRole('listbox', { name: 'Slash commands' });
    const option = list.getByRole('option', { name: /\/check-issue/ });
    await option.waitFor({ timeout: UI_TIMEOUT_MS });
    const optionText = await option.textContent();
    assert.match(optionText ?? '', /\/check-issue/);
    assert.match(optionText ?? '', /\[issue-number\]/);
    assert.match(optionText ?? '', /Check a reported issue against the code/);
    await shot('completion');

    await input.press('Enter');
    assert.equal(await input.inputValue(), '/check-issue ');
    await input.pressSequentially('42');
    await shot('inserted');

    // The agent from .claude/agents/ is a choice in the mode picker.
    const agentOption = chat().getByRole('combobox', { name: 'Mode' }).locator('option[value="agent:reviewer"]');
    assert.equal(await agentOption.count(), 1);

    await chat().getByRole('button', { name: 'Send' }).click();
    await chat().getByText('Checked issue 42 as the command asked.').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('ran');
    const sent = wb.model.requests.map(allText).find((t) => t.includes('SLASH-E2E-MARKER'));
    assert.ok(sent, 'the model never received the command prompt');
    assert.match(sent, /SLASH-E2E-MARKER: check issue #42 and say whether it is still open\./);
    assert.ok(!/Task:\n\/check-issue/.test(sent), 'the raw /command was sent instead of its prompt');
  });
});
