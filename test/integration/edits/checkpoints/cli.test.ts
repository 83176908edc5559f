// `tiller checkpoint list|restore` in-process, with TILLER_HOME pointed at a temp folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { checkpointCommand } from '../../../../extension/cli/checkpoint-command.js';
import { createShadowCheckpointer } from '../../../../extension/core/edits/checkpoints/shadow.js';
import type { CliIo } from '../../../../extension/cli/io.js';
import { UsageError } from '../../../../extension/cli/exit-codes.js';

function io(): { io: CliIo; out: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
  return { io: { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {}, distDir: '', onInterrupt() {} }, out: () => text };
}

test('list shows the checkpoints VS Code took, restore takes a short id', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const ws = mkdtempSync(join(tmpdir(), 'tiller-ws-'));
  const saved = process.env.TILLER_HOME;
  process.env.TILLER_HOME = home;
  try {
    writeFileSync(join(ws, 'a.txt'), 'one\n');
    const id = await createShadowCheckpointer(ws, { storeDir: join(home, 'checkpoints') }).beforeChange({ kind: 'edit', files: ['a.txt'] });
    writeFileSync(join(ws, 'a.txt'), 'two\n');

    const listed = io();
    assert.equal(await checkpointCommand(['list', '--workspace', ws], listed.io), 0);
    assert.match(listed.out(), new RegExp(`^${id!.slice(0, 12)}  \\S+  Before editing a.txt\\n$`));

    const restored = io();
    assert.equal(await checkpointCommand(['restore', id!.slice(0, 10), '--workspace', ws], restored.io), 0);
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'one\n');
    assert.match(restored.out(), /restored 1 file\(s\), removed 0; undo with: tiller checkpoint restore [0-9a-f]{12}/);

    await assert.rejects(checkpointCommand(['restore', 'ffff', '--workspace', ws], io().io), UsageError);
    await assert.rejects(checkpointCommand(['list'], io().io), /usage/);
  } finally {
    if (saved === undefined) delete process.env.TILLER_HOME;
    else process.env.TILLER_HOME = saved;
    rmSync(home, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  }
});
