// Approval modes that use the sandbox, through the real CLI: `--approve sandboxed` runs an ordinary `npm test` with no
// question; an escalation (more than the sandbox gives) is declined by every automatic mode and asked of the person
// at the terminal in sandboxed mode, where a "y" grants it for that one run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { Models, runCli } from '../../helpers/cli.js';
import { sandboxSkipReason, sandboxWorld } from './fixture.js';

const skip = sandboxSkipReason();
let dist = '';
const models = new Models();
before(async () => {
  if (!skip) dist = await buildBundles();
});
after(() => models.closeAll());

const cli = (ws: string, baseUrl: string, approve: string, home: string, tillerHome: string, stdin = '') =>
  runCli(dist, ['run', 'task', '--workspace', ws, '--base-url', baseUrl, '--model', 'fixture-large', '--approve', approve, '--max-steps', '10'], {
    home: tillerHome,
    env: { HOME: home, TILLER_API_KEY: 'test-key' },
    stdin,
  });

test('--approve sandboxed runs an ordinary `npm test` with no question', { skip }, async () => {
  const w = await sandboxWorld();
  try {
    writeFileSync(join(w.ws, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', scripts: { test: 'node test.js' } }));
    writeFileSync(join(w.ws, 'test.js'), "require('fs').writeFileSync('test-ran.txt', 'ok'); console.log('1 passing');\n");
    const m = await models.start([{ toolCalls: [{ name: 'shell__run_command', arguments: { command: 'npm test' } }] }, { text: 'tests pass' }]);
    const r = await cli(w.ws, m.baseUrl, 'sandboxed', w.home, w.tillerHome);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Approve\?/);
    assert.match(r.stderr, /granted by --approve sandboxed: runs inside the sandbox\] npm test/);
    assert.equal(readFileSync(join(w.ws, 'test-ran.txt'), 'utf8'), 'ok');
    const sent = JSON.stringify(m.requests.at(-1)?.body.messages);
    assert.match(sent, /1 passing/);
    assert.match(sent, /exit code 0/);
  } finally {
    await w.close();
    rmSync(w.base, { recursive: true, force: true });
  }
});

const escalating = (target: string) => [
  { toolCalls: [{ name: 'shell__run_command', arguments: { command: `echo granted > ${target}`, escalate: { reason: 'write the report beside the repo', write: [target] } } }] },
  { text: 'done' },
];

for (const mode of ['all', 'edits', 'never'] as const) {
  test(`--approve ${mode} never grants an escalation`, { skip }, async () => {
    const w = await sandboxWorld();
    try {
      const target = join(w.base, 'report.txt');
      const m = await models.start(escalating(target));
      const r = await cli(w.ws, m.baseUrl, mode, w.home, w.tillerHome);
      assert.match(r.stderr, new RegExp(`approval declined by --approve ${mode}\\] run the command OUTSIDE what the sandbox allows`));
      assert.ok(!existsSync(target), 'the escalated command ran');
    } finally {
      await w.close();
      rmSync(w.base, { recursive: true, force: true });
    }
  });
}

test('--approve sandboxed asks a person for an escalation, naming it; "y" grants it for that run', { skip }, async () => {
  const w = await sandboxWorld();
  try {
    const target = join(w.base, 'report.txt');
    const declined = await models.start(escalating(target));
    const no = await cli(w.ws, declined.baseUrl, 'sandboxed', w.home, w.tillerHome, '');
    assert.match(no.stderr, /run the command OUTSIDE what the sandbox allows/);
    assert.match(no.stderr, new RegExp(`it asks for: writing ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(no.stderr, /because: write the report beside the repo/);
    assert.ok(!existsSync(target), 'ran although nobody approved');

    const granted = await models.start(escalating(target));
    const yes = await cli(w.ws, granted.baseUrl, 'sandboxed', w.home, w.tillerHome, 'y\n');
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(readFileSync(target, 'utf8'), 'granted\n');
  } finally {
    await w.close();
    rmSync(w.base, { recursive: true, force: true });
  }
});

test('an escalation cannot lift a deny: a secret named as a write target is refused before anyone is asked', { skip }, async () => {
  const w = await sandboxWorld();
  try {
    const m = await models.start([
      { toolCalls: [{ name: 'shell__run_command', arguments: { command: 'echo x > .env', escalate: { reason: 'update the key', write: ['.env'] } } }] },
      { text: 'done' },
    ]);
    const r = await cli(w.ws, m.baseUrl, 'sandboxed', w.home, w.tillerHome, 'y\n');
    assert.doesNotMatch(r.stderr, /Approve\?/);
    assert.match(JSON.stringify(m.requests.at(-1)?.body.messages), /An escalation cannot lift a deny/);
    assert.equal(readFileSync(join(w.ws, '.env'), 'utf8'), `API_KEY=${w.canaries.env}\n`);
  } finally {
    await w.close();
    rmSync(w.base, { recursive: true, force: true });
  }
});
