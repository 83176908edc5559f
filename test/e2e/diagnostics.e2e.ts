// Diagnostics after edits in a real VS Code (code-server): the scripted model changes an exported function's
// signature in a file another file imports; VS Code's built-in TypeScript server reports the broken call in the
// importing file, and the model's next request names that diagnostic. A type error that was in the importing file
// before the edit is not repeated. Screenshots go to test-results/e2e/diagnostics-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest, ScriptedReply } from '../fixtures/model-server.js';
import { E2E, e2eSkip, fixtureModelEnv, openWorkbench, poll, type Workbench } from './workbench.js';

const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;

const SHAPES = 'export function area(width: number): number {\n  return width * width;\n}\n';
const REPORT = "import { area } from './shapes';\n\nconst label: number = 'not a number';\nexport const report = `${label}: ${area(3)}`;\n";
const PRE_EXISTING = "Type 'string' is not assignable to type 'number'.";
const INTRODUCED = 'Expected 2 arguments, but got 1.';

type Wire = { role: string; content?: unknown };
const textOf = (req: RecordedRequest): string =>
  ((req.body?.messages ?? []) as Wire[]).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n');

function script(req: RecordedRequest): ScriptedReply {
  const messages = (req.body?.messages ?? []) as Wire[];
  if (!textOf(req).includes('E2E-DIAG')) return { text: 'Shapes' };
  if (!messages.some((m) => m.role === 'tool')) {
    return {
      text: 'Making area take a height.',
      toolCalls: [{ name: 'workspace__propose_edit', arguments: { path: 'src/shapes.ts', edits: [{ search: 'area(width: number): number {\n  return width * width;', replace: 'area(width: number, height: number): number {\n  return width * height;' }] } }],
    };
  }
  return { text: 'Changed the signature.' };
}

async function openFile(wb: Workbench, name: string): Promise<void> {
  await wb.typeInPalette(name);
  await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: UI_TIMEOUT_MS });
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tab', { hasText: name }).first().waitFor({ timeout: UI_TIMEOUT_MS });
}

void describe('diagnostics an edit introduced reach the model', { skip: e2eSkip('the diagnostics e2e test') }, () => {
  let wb: Workbench | undefined;

  before(
    async () => {
      wb = await openWorkbench({ name: 'diagnostics', shotPrefix: 'diagnostics', model: { script: (req) => script(req) }, viewport: { width: 1500, height: 950 }, env: fixtureModelEnv });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await wb?.close();
  });

  void test('a changed signature: the importing file\'s new error is named, the old one is not', { timeout: 6 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb && wb.model);
    const { workspace, shot, chat, model } = wb;
    mkdirSync(join(workspace, 'src'), { recursive: true });
    writeFileSync(join(workspace, 'src/shapes.ts'), SHAPES);
    writeFileSync(join(workspace, 'src/report.ts'), REPORT);
    writeFileSync(join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', noEmit: true }, include: ['src'] }));

    writeFileSync(join(workspace, 'src/warmup.ts'), "export const warm: number = 'warm';\n");
    // TypeScript's server takes a while to start on a loaded machine: a file the person has open shows its error
    // first (the server runs), then the task's files are opened by Tiller unseen.
    await openFile(wb, 'warmup.ts');
    await wb.page.locator('.squiggly-error').first().waitFor({ timeout: 3 * UI_TIMEOUT_MS });
    await shot('typescript-running');

    await wb.openTillerView();
    const input = chat().getByRole('textbox', { name: 'Task' });
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill('E2E-DIAG: area should take a height too');
    await chat().getByRole('button', { name: 'Send' }).click();
    const apply = chat().getByRole('button', { name: 'Apply selected' }).last();
    await apply.waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('edit-card');
    await apply.click();
    await chat().getByText('Changed the signature.').first().waitFor({ timeout: 2 * UI_TIMEOUT_MS });
    await shot('done');
    // What a person sees: the importing file's new error in the editor.
    await openFile(wb, 'report.ts');
    await wb.page.locator('.squiggly-error').nth(1).waitFor({ timeout: UI_TIMEOUT_MS }).catch(() => undefined);
    await shot('importer-errors');

    const after = await poll(() => model.requests.find((r) => textOf(r).includes('E2E-DIAG') && ((r.body?.messages ?? []) as Wire[]).some((m) => m.role === 'tool')), UI_TIMEOUT_MS, 'the request after the edit');
    const messages = (after.body.messages ?? []) as Wire[];
    const observation = messages.filter((m) => m.role === 'user' && typeof m.content === 'string' && m.content.startsWith('Diagnostics after your change')).map((m) => String(m.content));
    assert.equal(observation.length, 1, `one diagnostics observation in:\n${textOf(after).slice(-3000)}`);
    const text = observation[0]!;
    assert.match(text, /- src\/report\.ts:4 error \[ts 2554\]: Expected 2 arguments, but got 1\./, text);
    assert.ok(!text.includes(PRE_EXISTING), `the pre-existing error is not repeated:\n${text}`);
    assert.ok(text.includes(INTRODUCED));
    // The observation comes after the edit's tool result.
    assert.ok(messages.findIndex((m) => m.content === text) > messages.map((m) => m.role).lastIndexOf('tool'));
  });
});
