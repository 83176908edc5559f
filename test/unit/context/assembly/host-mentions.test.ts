import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withHostMentions } from '../../../../extension/core/context/assembly/host-mentions.js';
import type { MentionSources } from '../../../../extension/core/context/ports.js';

const unavailable = async () => 'unavailable';
const base: MentionSources = { file: unavailable, folder: unavailable, symbol: unavailable, problems: unavailable, gitDiff: unavailable, terminal: unavailable, mcpResource: unavailable };

test('@mcp:server:uri reads through the host; failures and binaries are described, not thrown', async () => {
  const reads: string[] = [];
  const sources = withHostMentions(base, {
    async readResource(server, uri) {
      reads.push(`${server} ${uri}`);
      if (uri === 'boom') throw new Error('server down');
      if (uri === 'img') return [{ uri, mimeType: 'image/png', blob: 'AAAA' }];
      return [{ uri, text: 'hello resource' }];
    },
  });
  assert.deepEqual(await sources.mcpResource('docs', 'doc://a'), { text: 'hello resource', reason: 'MCP resource doc://a from docs, attached by the user' });
  assert.match(String(await sources.mcpResource('docs', 'boom')), /could not be read: server down/);
  assert.match(((await sources.mcpResource('docs', 'img')) as { text: string }).text, /\[binary image\/png, 3 bytes, not shown\]/);
  assert.deepEqual(reads, ['docs doc://a', 'docs boom', 'docs img']);
});

test('editor sources replace the file-system ones; without a reader resources stay unavailable', async () => {
  const sources = withHostMentions(base, undefined, { problems: async () => ({ text: 'p', reason: 'r' }) });
  assert.deepEqual(await sources.problems(), { text: 'p', reason: 'r' });
  assert.equal(await sources.terminal(), 'unavailable');
  assert.equal(await sources.mcpResource('s', 'u'), 'unavailable');
});
