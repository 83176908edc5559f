// Checkpoints through the harness: the real model client against the fixture model over HTTP, the tool gate taking a
// checkpoint before a shell command and before an edit (with the real file applier), and harness.checkpoints
// restoring the workspace byte-identically — including the file the "shell command" wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startModelServer, type RecordedRequest, type ScriptedReply } from '../../fixtures/model-server.js';
import { fakeHost } from '../../helpers/fakes.js';
import { createHarness } from '../../../extension/core/harness.js';
import { sha256Hex } from '../../../extension/core/edits/hash.js';

test('a task checkpoints before its shell command and its edit; restoring the first undoes both', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-cp-ws-'));
  const store = mkdtempSync(join(tmpdir(), 'tiller-cp-store-'));
  const home = mkdtempSync(join(tmpdir(), 'tiller-cp-home-'));
  const previousHome = process.env.TILLER_HOME;
  process.env.TILLER_HOME = home;
  writeFileSync(join(ws, 'a.txt'), 'alpha\r\n');
  const script = (request: RecordedRequest): ScriptedReply => {
    const tools = (request.body.messages as { role: string }[]).filter((m) => m.role === 'tool').length;
    if (tools === 0) return { toolCalls: [{ name: 'shell__run_command', arguments: { command: 'make notes' } }] };
    if (tools === 1) return { toolCalls: [{ name: 'workspace__propose_edit', arguments: { path: 'a.txt', content: 'beta\n' } }] };
    return { text: 'done' };
  };
  const server = await startModelServer({ script });
  const host = fakeHost({
    // Stands in for the shell server: the command writes a file in the workspace.
    'shell.run_command': () => {
      writeFileSync(join(ws, 'notes.txt'), 'written by a command\n');
      return { content: 'ok', isError: false };
    },
    'workspace.propose_edit': () => ({
      content: 'proposed',
      isError: false,
      structured: { changeSet: { id: 'c1', files: [{ path: 'a.txt', baseHash: sha256Hex('alpha\r\n'), newContent: 'beta\n', diff: '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-alpha\r\n+beta\n' }] } },
    }),
  });
  try {
    const harness = await createHarness(
      {
        workspaceRoot: ws,
        model: { baseUrl: server.baseUrl, largeModel: 'fixture-large', maxRetries: 0 },
        approver: { approve: async () => ({ approved: true }), askUser: async () => undefined },
        distDir: '/nonexistent',
        checkpoints: { storeDir: store },
      },
      { toolHost: host },
    );
    const outcome = await harness.run('change a.txt');
    assert.equal(outcome.status, 'done', outcome.summary);
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'beta\n');
    assert.ok(existsSync(join(ws, 'notes.txt')));

    const list = await harness.checkpoints!.list();
    assert.deepEqual(list.map((c) => c.kind), ['edit', 'shell']);
    const restored = await harness.checkpoints!.restore(list[1]!.id);
    await harness.close();
    assert.equal(restored.ok, true, JSON.stringify(restored));
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'alpha\r\n');
    assert.equal(existsSync(join(ws, 'notes.txt')), false);
  } finally {
    await server.close();
    if (previousHome === undefined) delete process.env.TILLER_HOME;
    else process.env.TILLER_HOME = previousHome;
    for (const d of [ws, store, home]) rmSync(d, { recursive: true, force: true });
  }
});
