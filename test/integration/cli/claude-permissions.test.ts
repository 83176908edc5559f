// `.claude/settings.json` permissions end to end through the bundled CLI: its deny binds at once in every approval
// mode, its allow needs consent (and then answers the ask), and an untranslatable deny fails closed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { lastMessages, Models, runCli, tempWorkspace } from '../../helpers/cli.js';

let dist = '';
const models = new Models();
before(async () => {
  dist = await buildBundles();
});
after(() => models.closeAll());

const touch = (file: string) => [{ toolCalls: [{ name: 'shell__run_command', arguments: { command: `touch ${file}` } }] }, { text: 'done' }];
const run = (ws: string, baseUrl: string, extra: string[]) =>
  runCli(dist, ['run', 'do it', '--workspace', ws, '--base-url', baseUrl, '--model', 'fixture-large', ...extra], { home: mkdtempSync(join(tmpdir(), 'tiller-home-')) });

test('a .claude/settings.json deny binds without consent, even under --approve all', async () => {
  const ws = tempWorkspace({ '.claude/settings.json': JSON.stringify({ permissions: { deny: ['Bash(touch:*)'] } }) });
  const m = await models.start(touch('denied'));
  const r = await run(ws, m.baseUrl, ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(ws, 'denied')), false);
  assert.match(lastMessages(m)[1]!, /Denied by the permission rules \(deny shell\(touch \*\)\)/);
});

test('a .claude/settings.json allow grants nothing without consent, and answers the ask with it', async () => {
  const settings = JSON.stringify({ permissions: { allow: ['Bash(touch allowed)'] } });
  const ws1 = tempWorkspace({ '.claude/settings.json': settings });
  const m1 = await models.start(touch('allowed'));
  const r1 = await run(ws1, m1.baseUrl, ['--approve', 'never']);
  assert.equal(r1.code, 4, r1.stderr);
  assert.equal(existsSync(join(ws1, 'allowed')), false);
  assert.match(r1.stderr, /\.claude\/settings\.json: its allow rules are not in force \(shell\(touch allowed\)\)/);

  const ws2 = tempWorkspace({ '.claude/settings.json': settings });
  const m2 = await models.start(touch('allowed'));
  const r2 = await run(ws2, m2.baseUrl, ['--approve', 'never', '--trust-workspace-config']);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /trusting \.claude\/settings\.json \(--trust-workspace-config\): allow Bash\(touch allowed\) as shell\(touch allowed\)/);
  assert.equal(existsSync(join(ws2, 'allowed')), true);
});

test('a deny that cannot be read fails closed: shell commands are denied', async () => {
  const ws = tempWorkspace({ '.claude/settings.json': JSON.stringify({ permissions: { deny: ['Bash(rm -rf'] } }) });
  const m = await models.start(touch('x'));
  const r = await run(ws, m.baseUrl, ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(ws, 'x')), false);
  assert.match(r.stderr, /deny `Bash\(rm -rf` cannot be translated .*; writes and shell commands are denied instead/);
});
