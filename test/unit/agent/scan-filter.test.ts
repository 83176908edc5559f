// The gate's second line against denied paths in scan results: where the workspace server's structure names the
// files, the decision is made on those paths; where it does not (no structure, or a line it does not account for),
// the text is filtered as before, so a result without structure is never passed through unfiltered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolGate } from '../../../extension/core/agent/tool-gate.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import type { ToolCallResult } from '../../../extension/core/tools/types.js';
import { fakeHost, recordingApplier, recordingApprover, tablePolicy, BUILTIN_TOOLS } from '../../helpers/fakes.js';

const SEARCH = 'workspace.search_text';
const FIND = 'workspace.find_files';
/** Denies reading anything under a `secrets/` folder at any depth, and `.env`. */
const policy = tablePolicy([{ match: (a) => a.kind === 'read' && (/(^|\/)secrets\//.test(a.path) || a.path === '.env'), decision: 'deny' }]);

async function run(tool: string, result: ToolCallResult): Promise<string> {
  const gate = new ToolGate(
    { host: fakeHost({ [tool]: () => result }), policy, approver: recordingApprover([]), editApplier: recordingApplier(), trace: memoryTrace(), agent: 'main', now: () => 0 },
    new Map(BUILTIN_TOOLS.map((d) => [d.name, d])),
  );
  const out = await gate.execute(1, { id: 'c1', name: 'x', arguments: tool === SEARCH ? '{"query":"TOKEN"}' : '{"pattern":"*"}' }, tool);
  return out.content;
}

test('a hit whose file name reads like `path:line:` is decided on the path the structure gives', async () => {
  const hits = [
    { path: 'src/a.ts', line: 3, text: 'const t = TOKEN' },
    { path: 'x:1:y/secrets/k.txt', line: 5, text: 'TOKEN=sk-live-999' },
  ];
  const text = 'src/a.ts:3: const t = TOKEN\nx:1:y/secrets/k.txt:5: TOKEN=sk-live-999';
  const seen = await run(SEARCH, { content: text, isError: false, structured: { hits, truncated: false, engine: 'js' } });
  assert.match(seen, /src\/a\.ts:3/);
  assert.doesNotMatch(seen, /sk-live/);
});

test('without structure the text is filtered by the path each line starts with, as before', async () => {
  const seen = await run(SEARCH, { content: 'src/a.ts:3: const t = TOKEN\n.env:1: TOKEN=sk-live-123', isError: false });
  assert.match(seen, /src\/a\.ts:3/);
  assert.doesNotMatch(seen, /sk-live|\.env/);
});

test('a line the structure does not account for is still filtered from its text', async () => {
  const structured = { hits: [{ path: 'src/a.ts', line: 3, text: 'const t = TOKEN' }], truncated: false, engine: 'js' };
  const seen = await run(SEARCH, { content: 'src/a.ts:3: const t = TOKEN\n.env:1: TOKEN=sk-live-123', isError: false, structured });
  assert.match(seen, /src\/a\.ts:3/);
  assert.doesNotMatch(seen, /sk-live/);
});

test('a file list is filtered on its structured paths; notes stay', async () => {
  const files = ['src/a.ts', 'deep/secrets/id_rsa', '.env'];
  const seen = await run(FIND, { content: `${files.join('\n')}\n[stopped at 3 results; narrow the pattern]`, isError: false, structured: { files, truncated: true } });
  assert.equal(seen, 'src/a.ts\n[stopped at 3 results; narrow the pattern]');
});
