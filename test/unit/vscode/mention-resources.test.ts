import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceItems } from '../../../extension/vscode/mention-items.js';

test('MCP resources complete as @mcp:server:uri, matched on the mention or the name; unusable URIs are left out', () => {
  const resources = [
    { server: 'docs', uri: 'doc://guide', name: 'User Guide' },
    { server: 'docs', uri: 'doc://api', name: 'API reference' },
    { server: 'db', uri: 'table with spaces', name: 'Orders' },
  ];
  assert.deepEqual(resourceItems('guide', resources).map((r) => r.value), ['mcp:docs:doc://guide']);
  assert.deepEqual(resourceItems('mcp:docs', resources).map((r) => r.value), ['mcp:docs:doc://guide', 'mcp:docs:doc://api']);
  assert.deepEqual(resourceItems('orders', resources), []);
  assert.equal(resourceItems('api', resources)[0]!.kind, 'resource');
});
