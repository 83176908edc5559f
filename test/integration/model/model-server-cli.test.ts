// The fixture server as its own process, the way demos and the CLI's end-to-end tests start it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createModelClient } from '../../../extension/core/model/client.js';

void test('standalone: prints MODEL_SERVER_URL and serves a looping script until killed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-model-server-'));
  const script = join(dir, 'script.json');
  writeFileSync(script, JSON.stringify({ loop: true, replies: [{ text: 'one' }, { text: 'two' }] }));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/model-server.ts', '--script', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const lines = createInterface({ input: child.stdout });
    const line = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`model server exited early with ${code}`)));
    });
    const match = /^MODEL_SERVER_URL=(http:\/\/127\.0\.0\.1:\d+\/v1)$/.exec(line);
    assert.ok(match?.[1], line);
    const client = createModelClient({ baseUrl: match[1], largeModel: 'fixture-large' });
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) texts.push((await client.complete({ role: 'large', messages: [{ role: 'user', content: 'hi' }] })).text);
    assert.deepEqual(texts, ['one', 'two', 'one']);
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('standalone: a bad script file is refused with a message naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-model-server-'));
  const script = join(dir, 'bad.json');
  writeFileSync(script, JSON.stringify({ replies: [] }));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/model-server.ts', '--script', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  rmSync(dir, { recursive: true, force: true });
  assert.equal(code, 1);
  assert.ok(stderr.includes('bad.json'), stderr);
});
