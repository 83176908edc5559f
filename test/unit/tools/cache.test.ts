import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachingToolHost, isCacheable } from '../../../extension/core/tools/cache.js';
import { BUILTIN_TOOLS, fakeHost, tool } from '../../helpers/fakes.js';
import type { ToolDescriptor } from '../../../extension/core/tools/types.js';

const ro = { readOnlyHint: true, idempotentHint: true };
const thirdParty = (trusted: boolean, annotations = ro): ToolDescriptor => ({ ...tool('ext.lookup', { q: { type: 'string' } }), annotations, ...(trusted ? { trusted } : {}) });

test('cacheable: built-in reads, and trusted third-party tools that are read-only and idempotent', () => {
  assert.ok(isCacheable(BUILTIN_TOOLS[0]!));
  assert.ok(!isCacheable(BUILTIN_TOOLS.find((t) => t.name === 'shell.run_command')!));
  assert.ok(!isCacheable(BUILTIN_TOOLS.find((t) => t.name === 'workspace.propose_edit')!));
  assert.ok(isCacheable(thirdParty(true)));
  assert.ok(!isCacheable(thirdParty(false)), 'untrusted annotations are hints only');
  assert.ok(!isCacheable(thirdParty(true, { readOnlyHint: true, idempotentHint: false })));
  assert.ok(!isCacheable(thirdParty(true, { readOnlyHint: true } as typeof ro)));
});

test('a repeated read is served from the cache; args are compared canonically; errors are not cached', async () => {
  let n = 0;
  const inner = fakeHost({ 'workspace.read_file': (a) => ({ content: `v${++n} ${String(a.path)}`, isError: a.path === 'bad' }) });
  const host = cachingToolHost(inner);
  await host.listTools();
  const first = await host.callTool('workspace.read_file', { path: 'a', range: { end: 2, start: 1 } });
  const second = await host.callTool('workspace.read_file', { range: { start: 1, end: 2 }, path: 'a' });
  assert.equal(first.cached, undefined);
  assert.deepEqual(second, { content: 'v1 a', isError: false, cached: true });
  await host.callTool('workspace.read_file', { path: 'bad' });
  assert.equal((await host.callTool('workspace.read_file', { path: 'bad' })).cached, undefined);
  assert.equal(inner.calls.length, 3);
});

test('a shell command, an edit proposal or any non-cacheable tool empties the cache', async () => {
  for (const writer of ['shell.run_command', 'workspace.propose_edit', 'ext.other']) {
    const inner = fakeHost(
      { 'workspace.read_file': () => ({ content: 'x', isError: false }), [writer]: () => ({ content: 'ok', isError: false }) },
      [...BUILTIN_TOOLS, tool('ext.other')],
    );
    const host = cachingToolHost(inner);
    await host.listTools();
    await host.callTool('workspace.read_file', { path: 'a' });
    assert.equal(host.cache.size, 1);
    await host.callTool(writer, { command: 'touch a', path: 'a' });
    assert.equal(host.cache.size, 0, writer);
    assert.equal((await host.callTool('workspace.read_file', { path: 'a' })).cached, undefined);
  }
});

test('a read that overlaps a command is not stored: its result may predate the change', async () => {
  let finishCommand: () => void = () => {};
  const inner = fakeHost({
    'workspace.read_file': () => ({ content: 'before', isError: false }),
    'shell.run_command': () => new Promise((resolve) => (finishCommand = () => resolve({ content: 'ok', isError: false }))),
  });
  const host = cachingToolHost(inner);
  await host.listTools();
  const command = host.callTool('shell.run_command', { command: 'sed -i s/a/b/ f' });
  await host.callTool('workspace.read_file', { path: 'f' });
  finishCommand();
  await command;
  assert.equal(host.cache.size, 0);
  assert.equal((await host.callTool('workspace.read_file', { path: 'f' })).cached, undefined);
});

test('a new task (listing the tools) starts with an empty cache', async () => {
  const host = cachingToolHost(fakeHost({ 'workspace.read_file': () => ({ content: 'x', isError: false }) }));
  await host.listTools();
  await host.callTool('workspace.read_file', { path: 'a' });
  await host.listTools();
  assert.equal((await host.callTool('workspace.read_file', { path: 'a' })).cached, undefined);
});

test('the caching layer keeps the inner host\'s other members reachable', async () => {
  const inner = Object.assign(fakeHost({}), { servers: () => ['status'] });
  const host = cachingToolHost(inner);
  assert.deepEqual(host.servers(), ['status']);
});
