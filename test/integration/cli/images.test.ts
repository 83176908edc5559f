// Images end to end through the bundled CLI: `--image FILE` reaches the scripted model as an `image_url` part, a bad
// file stops the run before any request, a model that refuses images gets them described (and is told once), and
// an MCP tool's image content reaches the model as an image part in the user message after the tool results.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles, repoRoot } from '../../helpers/bundles.js';
import { Models, runCli, tempWorkspace } from '../../helpers/cli.js';
import type { RecordedRequest } from '../../fixtures/model-server.js';
import { solidPng } from '../../helpers/images.js';
import { EXIT } from '../../../extension/cli/exit-codes.js';

let dist = '';
const models = new Models();
before(async () => {
  dist = await buildBundles();
});
after(() => models.closeAll());

type Part = { type: string; text?: string; image_url?: { url: string } };
type WireMessage = { role: string; content: string | Part[] | null };

const messagesOf = (q: RecordedRequest): WireMessage[] => q.body.messages as WireMessage[];
const imageUrls = (q: RecordedRequest): string[] =>
  messagesOf(q).flatMap((m) => (Array.isArray(m.content) ? m.content.filter((p) => p.type === 'image_url').map((p) => p.image_url!.url) : []));
const carriesImage = (q: RecordedRequest): boolean => JSON.stringify(q.body).includes('"image_url"');

function fileIn(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const run = (m: { baseUrl: string }, ws: string, extra: string[], home = mkdtempSync(join(tmpdir(), 'tiller-home-')), json = true) =>
  runCli(dist, ['run', 'Build the page like the mockup', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', ...(json ? ['--json'] : []), ...extra], { home });

test('--image FILE (repeatable): the task message carries each image as a data-URL image_url part; stored by reference', async () => {
  const ws = tempWorkspace({ 'index.html': '<h1>hi</h1>\n' });
  const files = mkdtempSync(join(tmpdir(), 'tiller-img-'));
  const mock = solidPng(64, 32);
  const second = solidPng(8, 8, [0, 0, 255]);
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const m = await models.start([{ text: 'Looked at both images.' }]);
  const r = await run(m, ws, ['--image', fileIn(files, 'mock.png', mock), '--image', fileIn(files, 'logo.png', second)], home);
  assert.equal(r.code, 0, r.stderr);
  const task = messagesOf(m.requests[0]!).find((x) => x.role === 'user' && Array.isArray(x.content))!;
  const parts = task.content as Part[];
  assert.equal(parts[0]!.type, 'text');
  assert.match(parts[0]!.text!, /Build the page like the mockup/);
  assert.deepEqual(imageUrls(m.requests[0]!), [`data:image/png;base64,${mock.toString('base64')}`, `data:image/png;base64,${second.toString('base64')}`]);
  // Stored once under TILLER_HOME/images; the session log holds the reference, not the bytes.
  assert.equal(readdirSync(join(home, 'images')).length, 2);
  const sessions = readdirSync(join(home, 'sessions')).map((f) => join(home, 'sessions', f));
  const log = sessions.map((f) => readFileSync(f, 'utf8')).join('');
  assert.match(log, /"images":\[\{"path":"[^"]+images\/[0-9a-f]{64}\.png"/);
  assert.doesNotMatch(log, new RegExp(mock.toString('base64').slice(0, 40).replace(/[+/]/g, '.')));
});

test('--image with a file that is not an image, or is missing: a usage error naming it, and no model request', async () => {
  const ws = tempWorkspace({ 'a.txt': 'a\n' });
  const files = mkdtempSync(join(tmpdir(), 'tiller-img-'));
  const m = await models.start([{ text: 'never' }]);
  const fake = await run(m, ws, ['--image', fileIn(files, 'shot.png', Buffer.from('not really a png'))]);
  assert.equal(fake.code, EXIT.usage, fake.stderr);
  assert.match(fake.stderr, /--image: shot\.png is not a PNG, JPEG, GIF or WebP image/);
  const missing = await run(m, ws, ['--image', join(files, 'gone.png')]);
  assert.equal(missing.code, EXIT.usage);
  assert.match(missing.stderr, /--image: cannot read the image .*gone\.png: ENOENT/);
  assert.equal(m.served(), 0);
});

test('a model that rejects image input: told once, the request retried with a description, not retried again', async () => {
  const ws = tempWorkspace({ 'a.txt': 'alpha\n' });
  const files = mkdtempSync(join(tmpdir(), 'tiller-img-'));
  const png = solidPng(40, 20);
  let answered = 0;
  const m = await models.start((q) => {
    if (carriesImage(q)) return { fault: { type: 'status', status: 400, message: 'image input is not supported - hint: you may need to provide the mmproj' } };
    return answered++ === 0 ? { toolCalls: [{ name: 'workspace__read_file', arguments: { path: 'a.txt' } }] } : { text: 'Done without seeing it.' };
  });
  const r = await run(m, ws, ['--image', fileIn(files, 'mock.png', png)], undefined, false);
  assert.equal(r.code, 0, r.stderr);
  const rejected = m.requests.filter(carriesImage);
  assert.equal(rejected.length, 1, 'only the first request carried the image');
  assert.equal(m.served(), 3);
  const described = JSON.stringify(messagesOf(m.requests[1]!));
  assert.match(described, /\[image not shown to this model: mock\.png \(image\/png, \d+ B, 40x20\)\]/);
  assert.match(JSON.stringify(messagesOf(m.requests[2]!)), /image not shown to this model: mock\.png/);
  // The person is told once, with the provider's words.
  assert.equal((r.stdout + r.stderr).match(/the model fixture-large does not accept images \(.*image input is not supported/g)?.length, 1, r.stdout + r.stderr);
});

test('an MCP tool returning image content: the image reaches the model as an image part after the tool results', async () => {
  const ws = tempWorkspace({ 'a.txt': 'alpha\n' });
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const fixture = join(repoRoot, 'test', 'fixtures', 'mcp', 'image-server.ts');
  writeFileSync(join(home, 'mcp.json'), JSON.stringify({ mcpServers: { images: { command: process.execPath, args: ['--import', 'tsx', fixture], cwd: repoRoot } } }));
  const m = await models.start([
    { toolCalls: [{ name: 'images__screenshot', arguments: {} }, { name: 'images__fake_image', arguments: {} }] },
    { text: 'The screenshot is red.' },
  ]);
  const r = await run(m, ws, [], home);
  assert.equal(r.code, 0, r.stderr);
  const second = messagesOf(m.requests[1]!);
  const toolAt = second.findIndex((x) => x.role === 'tool');
  assert.ok(toolAt > 0, 'the tool results are there');
  const after = second.slice(toolAt).find((x) => x.role === 'user')!;
  assert.ok(second.indexOf(after) > second.map((x) => x.role).lastIndexOf('tool'), 'the image message follows every tool result');
  assert.deepEqual(imageUrls(m.requests[1]!), [`data:image/png;base64,${solidPng(16, 8, [255, 0, 0]).toString('base64')}`]);
  const text = (after.content as Part[])[0]!.text!;
  assert.match(text, /images returned by images\.screenshot, images\.fake_image/);
  assert.match(text, /images\.fake_image image 2 \(image\/png\) was not attached: .* is not a PNG, JPEG, GIF or WebP image/);
  // The tool messages themselves stay text.
  for (const msg of second.filter((x) => x.role === 'tool')) assert.equal(typeof msg.content, 'string');
});
