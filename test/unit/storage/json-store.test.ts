import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { jsonStore, type JsonStoreProblem } from '../../../extension/core/storage/json-store.js';
import { withFileLockSync, LockTimeoutError } from '../../../extension/core/storage/file-lock.js';

const schema = z.object({ counts: z.record(z.string(), z.number()) });
const empty = () => ({ counts: {} });

test('two processes updating one file concurrently lose nothing and never tear it', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tiller-store-')), 'shared.json');
  const worker = `
    const { jsonStore } = require(${JSON.stringify(resolve('extension/core/storage/json-store.ts'))});
    const { z } = require('zod');
    const store = jsonStore(process.argv[1], z.object({ counts: z.record(z.string(), z.number()) }), () => ({ counts: {} }));
    for (let i = 0; i < 200; i++) store.update((s) => ({ counts: { ...s.counts, [process.argv[2]]: (s.counts[process.argv[2]] ?? 0) + 1 } }));
  `;
  const run = (name: string) =>
    new Promise<number | null>((res) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', worker, file, name], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('close', res);
    });
  const codes = await Promise.all([run('a'), run('b')]);
  assert.deepEqual(codes, [0, 0]);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { counts: { a: 200, b: 200 } });
  assert.deepEqual(readdirSync(join(file, '..')), ['shared.json'], 'no lock or temp file left behind');
});

test('a corrupt file is quarantined and reported, not silently reset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-store-'));
  const file = join(dir, 'consent.json');
  writeFileSync(file, '{"counts": {"a": 1}'); // torn
  const problems: JsonStoreProblem[] = [];
  const store = jsonStore(file, schema, empty, { onProblem: (p) => problems.push(p) });
  assert.deepEqual(store.update((s) => ({ counts: { ...s.counts, b: 1 } })), { counts: { b: 1 } });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.reason, /not valid JSON/);
  assert.equal(readFileSync(problems[0]!.quarantinedAs, 'utf8'), '{"counts": {"a": 1}', 'the old content is kept for the user');

  writeFileSync(file, '{"counts": {"a": "one"}}');
  store.read();
  assert.match(problems[1]!.reason, /counts\.a/);
});

test('a lock left by a dead process is broken; a live one is waited for, then reported', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tiller-lock-')), 'f.json');
  writeFileSync(`${file}.lock`, '999999999 0\n'); // no such pid
  assert.equal(withFileLockSync(file, () => 42), 42);
  assert.equal(existsSync(`${file}.lock`), false);
  writeFileSync(`${file}.lock`, `${process.pid} ${Date.now()}\n`); // held by a live process (this one)
  assert.throws(() => withFileLockSync(file, () => 0, { timeoutMs: 200 }), LockTimeoutError);
});
