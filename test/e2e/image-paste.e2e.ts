// Pasting an image into the chat composer in a real VS Code (code-server + Chromium): a real clipboard paste event
// carrying a PNG file makes a chip with a thumbnail; a pasted file that is not an image is refused in the composer;
// the task sent carries the PNG to the scripted model as an `image_url` part, byte for byte.
// Screenshots go to test-results/e2e/image-paste-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordedRequest, ScriptedReply } from '../fixtures/model-server.js';
import { solidPng } from '../helpers/images.js';
import { E2E, e2eSkip, fixtureModelEnv, openWorkbench, poll, type Workbench } from './workbench.js';

const { UI_TIMEOUT_MS, SETUP_TIMEOUT_MS } = E2E;
const PNG = solidPng(48, 24, [20, 160, 60]);

type Part = { type: string; image_url?: { url: string } };
const imageUrls = (req: RecordedRequest): string[] =>
  ((req.body?.messages ?? []) as { content?: unknown }[]).flatMap((m) => (Array.isArray(m.content) ? (m.content as Part[]).filter((p) => p.type === 'image_url').map((p) => p.image_url!.url) : []));

function script(req: RecordedRequest): ScriptedReply {
  return JSON.stringify(req.body).includes('E2E-IMAGE') ? { text: 'I see a green rectangle.' } : { text: 'Image' };
}

void describe('an image pasted into the composer reaches the model', { skip: e2eSkip('the image-paste e2e test') }, () => {
  let wb: Workbench | undefined;

  before(
    async () => {
      wb = await openWorkbench({ name: 'image-paste', shotPrefix: 'image-paste', model: { script: (req) => script(req) }, viewport: { width: 1400, height: 900 }, env: fixtureModelEnv });
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    await wb?.close();
  });

  void test('paste a PNG (and a fake one): a chip, a refusal, and an image_url part in the request', { timeout: 5 * UI_TIMEOUT_MS }, async () => {
    assert.ok(wb && wb.model);
    const { shot, chat, model } = wb;
    await wb.openTillerView();
    const input = chat().getByRole('textbox', { name: 'Task' });
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill('E2E-IMAGE: what colour is this?');

    // A paste event as Chromium dispatches it for a copied file: a DataTransfer holding the file.
    const paste = (name: string, base64: string, type: string) =>
      input.evaluate(
        (el, file) => {
          const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
          const data = new DataTransfer();
          data.items.add(new File([bytes], file.name, { type: file.type }));
          el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        },
        { name, base64, type },
      );
    await paste('mockup.png', PNG.toString('base64'), 'image/png');
    const chip = chat().locator('.image-chips .image-chip', { hasText: 'mockup.png' });
    await chip.waitFor({ timeout: UI_TIMEOUT_MS });
    assert.equal(await chip.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth), 48, 'the thumbnail decoded');
    await paste('notes.png', Buffer.from('only text inside').toString('base64'), 'image/png');
    const problem = chat().getByRole('alert');
    await problem.filter({ hasText: 'notes.png is not a PNG, JPEG, GIF or WebP image' }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.equal(await chat().locator('.image-chips .image-chip').count(), 1, 'the fake was not attached');
    await shot('composer-with-image');

    await chat().getByRole('button', { name: 'Send' }).click();
    await chat().getByText('I see a green rectangle.').first().waitFor({ timeout: 2 * UI_TIMEOUT_MS });
    await chat().locator('.entry.task .image-chip img').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('transcript-with-image');
    assert.equal(await chat().locator('.image-chips .image-chip').count(), 0, 'the composer is cleared after sending');

    const request = await poll(() => model.requests.find((r) => JSON.stringify(r.body).includes('E2E-IMAGE')), UI_TIMEOUT_MS, 'the task request');
    assert.deepEqual(imageUrls(request), [`data:image/png;base64,${PNG.toString('base64')}`]);
  });
});
