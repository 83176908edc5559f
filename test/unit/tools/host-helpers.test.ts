import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteRing } from '../../../extension/core/tools/ring-buffer.js';
import { closeMatches } from '../../../extension/core/tools/close-matches.js';
import { formatCallResult } from '../../../extension/core/tools/result-format.js';
import { backoffDelay } from '../../../extension/core/tools/supervisor.js';
import { builtinServerSpecs } from '../../../extension/core/tools/builtin.js';

test('the ring keeps only the last bytes', () => {
  const ring = new ByteRing(10);
  ring.push(Buffer.from('0123456'));
  ring.push(Buffer.from('789abc'));
  assert.equal(ring.toString(), '3456789abc');
  ring.push(Buffer.from('x'.repeat(25) + 'END'));
  assert.equal(ring.toString(), 'xxxxxxxEND');
  assert.equal(ring.length, 10);
});

test('close matches for a wrong namespace or a typo', () => {
  const names = ['workspace.read_file', 'workspace.list_dir', 'shell.run_command'];
  assert.deepEqual(closeMatches('files.read_file', names), ['workspace.read_file']);
  assert.deepEqual(closeMatches('workspace.reed_file', names), ['workspace.read_file']);
  assert.deepEqual(closeMatches('zzz.qqqqq', names), []);
});

test('results: text joined, other content summarised, structured kept, images handed on for the loop', () => {
  const r = formatCallResult({
    content: [
      { type: 'text', text: 'one' },
      { type: 'image', mimeType: 'image/png', data: Buffer.alloc(1234).toString('base64') },
      { type: 'resource', resource: { uri: 'file:///a', mimeType: 'application/pdf', blob: Buffer.alloc(10).toString('base64') } },
      { type: 'resource_link', uri: 'file:///b', name: 'b' },
    ],
    structuredContent: { a: 1 },
    isError: true,
  });
  assert.deepEqual(r, {
    content: 'one\n[image: image/png, 1234 bytes]\n[resource: file:///a, application/pdf, 10 bytes]\n[resource link: file:///b]',
    isError: true,
    structured: { a: 1 },
    images: [{ mimeType: 'image/png', data: Buffer.alloc(1234).toString('base64') }],
  });
  assert.deepEqual(formatCallResult({ content: [], structuredContent: { b: 2 } }), { content: '{"b":2}', isError: false, structured: { b: 2 } });
});

test('backoff doubles from 250 ms and stops at 10 s', () => {
  assert.deepEqual([0, 1, 2, 3, 10].map(backoffDelay), [250, 500, 1000, 2000, 10_000]);
});

test('builtin specs run the bundles with the current node, as plain Node inside Electron', () => {
  const [ws, sh] = builtinServerSpecs('/ext/dist', '/work/repo', { ripgrepPath: '/app/rg', shellIdleMs: 500 });
  assert.equal(ws?.transport, 'stdio');
  assert.ok(ws?.transport === 'stdio' && sh?.transport === 'stdio');
  assert.equal(ws.command, process.execPath);
  assert.deepEqual(ws.args, ['/ext/dist/mcp-workspace.js', '--root', '/work/repo']);
  assert.deepEqual(sh.args, ['/ext/dist/mcp-shell.js', '--root', '/work/repo', '--idle-ms', '500']);
  assert.equal(ws.env?.ELECTRON_RUN_AS_NODE, '1');
  assert.equal(ws.env?.TILLER_RG_PATH, '/app/rg');
  assert.equal(sh.env?.TILLER_RG_PATH, undefined);
});
