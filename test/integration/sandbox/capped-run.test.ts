// The harness's own commands (checks, hooks) run through runCapped: inside the sandbox, with stdin, a deadline that
// kills the whole process group, and output capped at both ends. Effects are checked on disk and in the output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSandboxRunner, type SandboxRunner } from '../../../extension/core/sandbox/runner.js';
import { defaultEffectivePolicy } from '../../../extension/core/sandbox/profile.js';
import { runCapped } from '../../../extension/core/sandbox/capped-run.js';
import { sandboxSkipReason, sandboxWorld, type SandboxWorld } from './fixture.js';

const skip = sandboxSkipReason();
let w: SandboxWorld;
let runner: SandboxRunner;
before(async () => {
  w = await sandboxWorld();
  runner = createSandboxRunner({ policy: defaultEffectivePolicy(w.ws), mode: skip ? 'off' : 'required', home: w.home });
});
after(async () => {
  runner.close();
  await w.close();
});

const run = (command: string, extra: { stdin?: string; timeoutMs?: number; maxOutputBytes?: number } = {}) =>
  runCapped({ runner, command, cwd: w.ws, env: { PATH: '/usr/bin:/bin', HOME: w.home }, timeoutMs: extra.timeoutMs ?? 10_000, maxOutputBytes: extra.maxOutputBytes ?? 64_000, ...(extra.stdin !== undefined ? { stdin: extra.stdin } : {}) });

test('stdin reaches the command and its exit code comes back', async () => {
  const r = await run('read line; echo "got:$line"; echo oops >&2; exit 3', { stdin: '{"a":1}\n' });
  assert.equal(r.exitCode, 3);
  assert.equal(r.stdout.trim(), 'got:{"a":1}');
  assert.equal(r.stderr.trim(), 'oops');
  assert.equal(r.timedOut, false);
});

test('a command past its deadline is killed with what it started, and reported as timed out', async () => {
  const r = await run(`(sleep 3; touch ${join(w.ws, 'late.txt')}) & sleep 30`, { timeoutMs: 300 });
  assert.equal(r.timedOut, true);
  assert.equal(r.exitCode, null);
  assert.ok(r.durationMs < 5000, `took ${r.durationMs} ms`);
  await new Promise((res) => setTimeout(res, 3500));
  assert.ok(!existsSync(join(w.ws, 'late.txt')), 'the background child outlived the kill');
});

test('megabytes of output are capped, keeping the start and the tail', async () => {
  const r = await run(`echo FIRST; head -c 3000000 /dev/zero | tr '\\0' x; echo; echo LAST`, { maxOutputBytes: 10_000 });
  assert.equal(r.exitCode, 0);
  assert.ok(r.truncated);
  assert.ok(r.stdout.length < 11_000, `kept ${r.stdout.length}`);
  assert.ok(r.stdout.startsWith('FIRST'));
  assert.ok(r.stdout.trimEnd().endsWith('LAST'));
  assert.match(r.stdout, /bytes cut/);
  assert.ok(r.outputBytes > 3_000_000);
});

test('inside the sandbox the user\'s credentials are not readable', { skip }, async () => {
  const r = await run('cat ~/.aws/credentials; cat .env');
  assert.equal(r.sandboxed, true);
  assert.ok(!r.stdout.includes(w.canaries.aws), 'the AWS canary leaked');
  assert.ok(!r.stdout.includes(w.canaries.env), 'the .env canary leaked');
});
