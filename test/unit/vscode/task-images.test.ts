// What the composer sends is checked again in the extension: a real image is stored under TILLER_HOME/images; bytes
// that are not an image are refused by name, whatever the webview claimed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeUploadedImages } from '../../../extension/vscode/task-images.js';
import { ImageError } from '../../../extension/core/model/image-store.js';
import { solidPng } from '../../helpers/images.js';

test('uploads: stored by reference under TILLER_HOME; a fake image is an ImageError naming it', () => {
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const [stored] = storeUploadedImages([{ name: 'pasted.png', dataBase64: solidPng(3, 2).toString('base64') }], { TILLER_HOME: home });
  assert.ok(stored && stored.path.startsWith(join(home, 'images')) && existsSync(stored.path));
  assert.deepEqual([stored.name, stored.width, stored.height], ['pasted.png', 3, 2]);
  assert.throws(
    () => storeUploadedImages([{ name: 'evil.png', dataBase64: Buffer.from('<svg onload=alert(1)>').toString('base64') }], { TILLER_HOME: home }),
    (e: unknown) => e instanceof ImageError && /evil\.png is not a PNG, JPEG, GIF or WebP image/.test(e.message),
  );
});
