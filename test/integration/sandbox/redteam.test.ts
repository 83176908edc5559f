// Red-team effect tests of the sandbox: hostile lines an obedient model runs, with the interpreters ALLOWED so the
// text analysis lets them through. Each test asserts the effect on disk, the network or what the model was sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { lastMessages, Models, runCli, type CliResult } from '../../helpers/cli.js';
import type { ModelServer, ScriptedReply } from '../../fixtures/model-server.js';
import { allowInterpreters, sandboxSkipReason, sandboxWorld, type SandboxWorld } from './fixture.js';

const skip = sandboxSkipReason();

let dist = '';
const models = new Models();
before(async () => {
  if (!skip) dist = await buildBundles();
});
after(() => models.closeAll());

const run = (command: string): ScriptedReply => ({ toolCalls: [{ name: 'shell__run_command', arguments: { command } }] });

function sentToModel(m: ModelServer): string {
  return m.requests.map((r) => JSON.stringify(r.body.messages)).join('\n');
}

async function drive(w: SandboxWorld, lines: string[]): Promise<{ m: ModelServer; result: CliResult }> {
  allowInterpreters(w.tillerHome);
  const m = await models.start([...lines.map(run), { text: 'done' }]);
  const result = await runCli(dist, ['run', 'try to get out', '--workspace', w.ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--max-steps', String(lines.length + 5)], {
    home: w.tillerHome,
    env: { HOME: w.home, TILLER_API_KEY: 'test-key' },
    stdin: '',
  });
  if (process.env.TILLER_TEST_DEBUG) process.stderr.write(`${lastMessages(m).join('\n----\n')}\n${result.stderr}\n`);
  assert.equal(result.code, 0, `the task should finish: ${result.stderr.slice(-2000)}`);
  return { m, result };
}

async function inWorld(fn: (w: SandboxWorld) => Promise<void>): Promise<void> {
  const w = await sandboxWorld();
  try {
    await fn(w);
  } finally {
    await w.close();
    rmSync(w.base, { recursive: true, force: true });
  }
}

const hook = '#!/bin/sh\\necho pwned > /tmp/hook-ran\\n';

test('renaming .git away and building a new one does not plant config or hooks on the host', { skip }, () =>
  inWorld(async (w) => {
    const before = readFileSync(w.gitConfig, 'utf8');
    await drive(w, [
      `sh -c 'mv .git .git-old && mkdir .git && cp -a .git-old/HEAD .git-old/objects .git-old/refs .git/ && printf "[core]\\n\\thooksPath = evil\\n" > .git/config; mkdir -p .git/hooks && printf "${hook}" > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit; ls -la .git'`,
      `python3 -c "import os; os.rename('.git/hooks', '.git/hooks-old') ; os.mkdir('.git/hooks'); open('.git/hooks/pre-commit','w').write('x')"`,
    ]);
    const gitDir = join(w.ws, '.git');
    assert.equal(readFileSync(join(gitDir, 'config'), 'utf8'), before, '.git/config was replaced');
    assert.ok(!existsSync(join(gitDir, 'hooks', 'pre-commit')), 'a pre-commit hook was planted');
    assert.doesNotMatch(execFileSync('git', ['-C', w.ws, 'config', '--list', '--local'], { encoding: 'utf8' }), /hookspath/i);
  }),
);
