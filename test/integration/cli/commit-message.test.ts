// `tiller commit-message` against a real git repository and the scripted model: the staged diff and the repository's
// recent subjects reach the model, the message is printed, and nothing the repository configured (fsmonitor, an
// external diff, a textconv driver, hooks) runs while it is written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { Models, runCli, tempWorkspace } from '../../helpers/cli.js';

let dist = '';
const models = new Models();
before(async () => {
  dist = await buildBundles();
});
after(() => models.closeAll());

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgSign=false', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' } });
  assert.equal(r.status, 0, r.stderr);
}

/** `stage` runs before the hostile configuration is written (the test's own git would run it otherwise). */
function repo(stage: (ws: string) => void = () => {}): { ws: string; marker: string } {
  const ws = tempWorkspace({ 'src/greet.txt': 'hello\n', 'README.md': '# demo\n' });
  git(ws, 'init', '-q');
  git(ws, 'add', '.');
  git(ws, 'commit', '-q', '-m', 'feat(greet): say hello');
  writeFileSync(join(ws, 'README.md'), '# demo\n\nmore\n');
  git(ws, 'commit', '-q', '-am', 'docs: explain the demo');
  stage(ws);
  // A hostile repository's configuration: each of these would run a program that leaves a marker.
  const marker = join(mkdtempSync(join(tmpdir(), 'tiller-marker-')), 'ran');
  const evil = join(ws, 'evil.sh');
  writeFileSync(evil, `#!/bin/sh\necho "$0 $*" >> ${marker}\ncat "$@" 2>/dev/null\n`);
  chmodSync(evil, 0o755);
  writeFileSync(join(ws, '.gitattributes'), '*.txt diff=evil\n');
  for (const [k, v] of [['core.fsmonitor', evil], ['diff.external', evil], ['diff.evil.textconv', evil], ['diff.evil.command', evil], ['core.hooksPath', join(ws, 'hooks')], ['log.showSignature', 'true'], ['gpg.program', evil], ['core.pager', evil]]) git(ws, 'config', k!, v!);
  return { ws, marker };
}

const run = (ws: string, baseUrl: string) => runCli(dist, ['commit-message', '--workspace', ws, '--base-url', baseUrl, '--model', 'fixture-large', '--small-model', 'fixture-small']);

test('the staged diff and recent subjects reach the small model; the message is printed; no repository program runs', async () => {
  const { ws, marker } = repo((dir) => {
    writeFileSync(join(dir, 'src', 'greet.txt'), 'hello, world\n');
    git(dir, 'add', 'src/greet.txt');
  });
  const m = await models.start([{ text: '```\nfeat(greet): greet the whole world\n\nA wider audience asked for it.\n```' }]);
  const r = await run(ws, m.baseUrl);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'feat(greet): greet the whole world\n\nA wider audience asked for it.\n');
  assert.equal(m.requests.length, 1);
  assert.equal(m.requests[0]!.body.model, 'fixture-small');
  const prompt = JSON.stringify(m.requests[0]!.body.messages);
  assert.match(prompt, /-hello\\n\+hello, world/);
  assert.match(prompt, /- docs: explain the demo\\n- feat\(greet\): say hello/);
  assert.equal(existsSync(marker), false, 'fsmonitor, external diff, textconv, pager and gpg did not run');
});

test('nothing staged: a clear message and no model call', async () => {
  const { ws } = repo();
  const m = await models.start([{ text: 'x' }]);
  const r = await run(ws, m.baseUrl);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nothing is staged: stage the changes to describe \(git add\) first/);
  assert.equal(m.requests.length, 0);
});

test('a staged secret file is named, never shown; a large diff is cut within the token cap', async () => {
  const { ws } = repo((dir) => {
    writeFileSync(join(dir, '.env'), 'API_KEY=CANARY-commit-77\n');
    writeFileSync(join(dir, 'big.md'), Array.from({ length: 6000 }, (_, i) => `line ${i} of a long generated file`).join('\n'));
    git(dir, 'add', '.env', 'big.md');
  });
  const m = await models.start([{ text: 'chore: add the generated notes' }]);
  const r = await run(ws, m.baseUrl);
  assert.equal(r.code, 0, r.stderr);
  const body = JSON.stringify(m.requests[0]!.body);
  assert.ok(!body.includes('CANARY-commit-77'));
  assert.match(body, /content withheld by the read rules: \.env/);
  assert.match(body, /the diff was cut at about 6000 tokens/);
  assert.ok(body.length < 6000 * 4 + 4000, `the prompt stays within the cap (${body.length} chars)`);
  assert.match(r.stderr, /content withheld from the model by the read rules: \.env/);
});
