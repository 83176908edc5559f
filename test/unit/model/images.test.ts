// Images: what counts as one (magic bytes, not names), where it is stored, how it goes on the wire, what it costs
// in tokens, and how a provider's refusal of image input is recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageHeader } from '../../../extension/core/model/image-format.js';
import { createImageStore, describeImage, ImageError, MAX_IMAGE_BYTES } from '../../../extension/core/model/image-store.js';
import { estimateImageTokens, estimateMessagesTokens, IMAGE_UNKNOWN_SIZE_TOKENS } from '../../../extension/core/model/tokens.js';
import { rejectsImageInput } from '../../../extension/core/model/image-rejection.js';
import { toWireMessage } from '../../../extension/core/model/wire.js';
import type { ChatMessage } from '../../../extension/core/model/types.js';
import { gifHeader, jpegHeader, solidPng, webpLosslessHeader } from '../../helpers/images.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'tiller-images-'));

test('headers: format from the magic bytes and the size from the header, for PNG, JPEG, GIF and WebP', () => {
  assert.deepEqual(readImageHeader(solidPng(37, 11)), { mimeType: 'image/png', width: 37, height: 11 });
  assert.deepEqual(readImageHeader(jpegHeader(640, 480)), { mimeType: 'image/jpeg', width: 640, height: 480 });
  assert.deepEqual(readImageHeader(gifHeader(3, 5)), { mimeType: 'image/gif', width: 3, height: 5 });
  assert.deepEqual(readImageHeader(webpLosslessHeader(1000, 300)), { mimeType: 'image/webp', width: 1000, height: 300 });
  assert.equal(readImageHeader(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
  assert.equal(readImageHeader(Buffer.from([0x89, 0x50])), undefined);
  // A PNG cut before its IHDR is still a PNG, of unknown size.
  assert.deepEqual(readImageHeader(solidPng(4, 4).subarray(0, 10)), { mimeType: 'image/png' });
});

test('store: content-addressed under the images folder, one file for the same bytes, size and name recorded', () => {
  const dir = join(tempDir(), 'images');
  const store = createImageStore(dir);
  const png = solidPng(20, 10);
  const a = store.storeBytes(png, 'shot.png');
  const b = store.storeBytes(png, 'again.png');
  assert.equal(a.path, b.path);
  assert.match(a.path, /images\/[0-9a-f]{64}\.png$/);
  assert.deepEqual(readFileSync(a.path), png);
  assert.deepEqual({ ...a, path: '' }, { path: '', mimeType: 'image/png', bytes: png.length, name: 'shot.png', width: 20, height: 10 });
  assert.equal(readdirSync(dir).length, 1);
});

test('store: a file that is not an image, an empty one, a missing one and one over the cap are refused by name', () => {
  const dir = tempDir();
  const store = createImageStore(join(dir, 'images'));
  const fake = join(dir, 'notes.png');
  writeFileSync(fake, 'just text, named like a picture');
  assert.throws(() => store.storeFile(fake), (e: unknown) => e instanceof ImageError && /notes\.png is not a PNG, JPEG, GIF or WebP image/.test(e.message));
  assert.throws(() => store.storeBytes(Buffer.alloc(0), 'empty.png'), /empty\.png is empty/);
  assert.throws(() => store.storeFile(join(dir, 'nope.png')), /cannot read the image .*nope\.png: ENOENT/);
  const huge = join(dir, 'huge.png');
  writeFileSync(huge, Buffer.concat([solidPng(1, 1), Buffer.alloc(MAX_IMAGE_BYTES)]));
  assert.throws(() => store.storeFile(huge), /huge\.png is 20\.0 MB; the limit for an image is 20\.0 MB/);
  // Nothing was stored for any of them.
  assert.throws(() => readdirSync(join(dir, 'images')), /ENOENT/);
  rmSync(dir, { recursive: true, force: true });
});

test('wire: a user message with images becomes a text part and image_url data URLs; described for a model without vision', () => {
  const store = createImageStore(join(tempDir(), 'images'));
  const png = solidPng(2, 2);
  const image = store.storeBytes(png, 'mock.png');
  const message: ChatMessage = { role: 'user', content: 'Make it look like this', origin: 'task', images: [image] };
  assert.deepEqual(toWireMessage(message), {
    role: 'user',
    content: [
      { type: 'text', text: 'Make it look like this' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
    ],
  });
  const described = toWireMessage(message, 'describe');
  assert.equal(described.content, `Make it look like this\n[image not shown to this model: mock.png (image/png, ${png.length} B, 2x2)]`);
  assert.equal(describeImage(image), `[image not shown to this model: mock.png (image/png, ${png.length} B, 2x2)]`);
  // The origin and the reference never reach the provider.
  assert.doesNotMatch(JSON.stringify(toWireMessage(message)), /origin|images\//);
  // A stored copy that has gone is described, not a failed request.
  rmSync(image.path);
  const parts = toWireMessage(message).content as { type: string; text?: string }[];
  assert.equal(parts[1]!.type, 'text');
  assert.match(parts[1]!.text!, /mock\.png .*the stored copy is missing/);
});

test('tokens: OpenAI tile rule at high detail, a flat documented estimate without a size, counted in the messages', () => {
  assert.equal(estimateImageTokens({ width: 512, height: 512 }), 85 + 170);
  assert.equal(estimateImageTokens({ width: 1024, height: 1024 }), 85 + 170 * 4); // scaled to 768x768: 2x2 tiles
  assert.equal(estimateImageTokens({ width: 2048, height: 4096 }), 85 + 170 * 6); // 1024x2048 -> 768x1536: 2x3
  assert.equal(estimateImageTokens({ width: 100, height: 50 }), 85 + 170);
  assert.equal(estimateImageTokens({}), IMAGE_UNKNOWN_SIZE_TOKENS);
  const image = { path: '/x.png', mimeType: 'image/png' as const, bytes: 10, name: 'x.png', width: 512, height: 512 };
  const without = estimateMessagesTokens([{ role: 'user', content: 'look' }]);
  assert.equal(estimateMessagesTokens([{ role: 'user', content: 'look', images: [image, image] }]), without + 2 * 255);
});

test('rejection: the ways providers refuse image input are recognised; other 400s are not', () => {
  for (const text of [
    'Invalid content type. image_url is only supported by certain models.',
    'image input is not supported - hint: if this is unexpected, you may need to provide the mmproj',
    'This model does not support vision',
    'Unsupported content part type: image_url',
    "messages[1].content: Input should be a valid string",
    'multimodal inputs are not enabled for this model',
  ]) {
    assert.equal(rejectsImageInput(text), true, text);
  }
  for (const text of ['max_tokens is too large', 'tools are not supported', 'invalid api key', 'the image is beautiful']) {
    assert.equal(rejectsImageInput(text), false, text);
  }
});
