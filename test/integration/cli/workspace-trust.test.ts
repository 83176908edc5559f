// Issue 12, end to end through the bundled CLI, the scripted model over HTTP and the real built-in servers: a
// repository's allow rules grant nothing until the user consented to the file (class 1); the workspace server denies
// at use from the harness's policy file (a hard link to a user-denied file, class 8); secrets in tool results never
// reach the model (the default denies, URL credentials in `git remote -v`). Each checks the effect: what ran on disk
// and what the next model request contained.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const call = (name: string, args: unknown) => ({ name, arguments: args });
const GRANT_ALL = JSON.stringify({ allow: ['shell(*)', 'write(**)', 'mcp(*)'] });

function run(ws: string, baseUrl: string, home: string, extra: string[], stdin = '') {
  return runCli(dist, ['run', 'do it', '--workspace', ws, '--base-url', baseUrl, '--model', 'fixture-large', ...extra], { home, stdin });
}

const attempts = () => [
  { toolCalls: [call('shell__run_command', { command: 'touch pwned' })] },
  { toolCalls: [call('workspace__propose_edit', { path: 'written.txt', content: 'x\n' })] },
  { text: 'done' },
];

test('class 1: a repository that allows itself everything gets nothing under --approve never until the user consents', async () => {
  const ws = tempWorkspace({ '.tiller/permissions.json': GRANT_ALL, 'README.md': 'hi\n' });
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const m = await models.start(attempts());
  const r = await run(ws, m.baseUrl, home, ['--approve', 'never']);
  assert.equal(r.code, 4, r.stderr); // the shell call asked, --approve never declined it: the task stops as denied
  assert.match(r.stderr, /\[approval declined by --approve never\] run the command: touch pwned/);
  assert.equal(existsSync(join(ws, 'pwned')), false, 'the command did not run');
  assert.equal(existsSync(join(ws, 'written.txt')), false, 'the file was not written');
  assert.match(r.stderr, /permissions\.json allow rules not in force: it needs your consent/);
  assert.match(r.stderr, /its allow rules are not in force \(shell\(\*\), write\(\*\*\), mcp\(\*\)\)/);
  assert.ok(!existsSync(join(home, 'consent.json')), 'nothing was agreed to');
  assert.deepEqual(readdirSync(join(home, 'run')), [], "the session's policy file is removed when it ends");

  // Consent on the terminal (--approve ask), stored for this exact content.
  const asked = await models.start([{ text: 'done' }]);
  const consent = await run(ws, asked.baseUrl, home, ['--approve', 'ask'], 'y\n');
  assert.equal(consent.code, 0, consent.stderr);
  assert.match(consent.stderr, /This workspace's \.tiller\/permissions\.json wants to allow these actions without asking.*:\n {2}allow shell\(\*\)\n {2}allow write\(\*\*\)\n {2}allow mcp\(\*\)\nAllow them\? \[y\/N\]/);
  const grants = (JSON.parse(readFileSync(join(home, 'consent.json'), 'utf8')) as { grants: { kind: string; name: string }[] }).grants;
  assert.deepEqual(grants.map((g) => [g.kind, g.name]), [['project-rules', '.tiller/permissions.json']]);

  // Now the rules bind as written, with no question, even under --approve never.
  const after = await models.start(attempts());
  const granted = await run(ws, after.baseUrl, home, ['--approve', 'never']);
  assert.equal(granted.code, 0, granted.stderr);
  assert.equal(existsSync(join(ws, 'pwned')), true, 'the consented allow rule let the command run');

  // One changed byte in the file, and the grant is gone again.
  writeFileSync(join(ws, '.tiller', 'permissions.json'), GRANT_ALL + ' ');
  const edited = await models.start([{ toolCalls: [call('shell__run_command', { command: 'touch pwned-again' })] }, { text: 'done' }]);
  const again = await run(ws, edited.baseUrl, home, ['--approve', 'never']);
  assert.equal(again.code, 4, again.stderr);
  assert.equal(existsSync(join(ws, 'pwned-again')), false);
});

test('--trust-workspace-config agrees for one run and stores nothing; --trust-workspace-mcp is the same flag', async () => {
  for (const flag of ['--trust-workspace-config', '--trust-workspace-mcp']) {
    const ws = tempWorkspace({ '.tiller/permissions.json': GRANT_ALL });
    const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
    const m = await models.start(attempts());
    const r = await run(ws, m.baseUrl, home, ['--approve', 'never', flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`trusting \\.tiller/permissions\\.json \\(${flag}\\): allow shell\\(\\*\\); allow write\\(\\*\\*\\); allow mcp\\(\\*\\)`));
    assert.equal(existsSync(join(ws, 'pwned')), true, flag);
    assert.equal(existsSync(join(home, 'consent.json')), false, `${flag} leaves no stored consent`);
  }
});

test('a project deny applies at once, with no consent, in every approval mode', async () => {
  const ws = tempWorkspace({ '.tiller/permissions.json': JSON.stringify({ deny: ['shell(touch *)'] }) });
  const m = await models.start([{ toolCalls: [call('shell__run_command', { command: 'touch denied' })] }, { text: 'done' }]);
  const r = await run(ws, m.baseUrl, mkdtempSync(join(tmpdir(), 'tiller-home-')), ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(ws, 'denied')), false);
  assert.match(lastMessages(m)[1]!, /Denied by the permission rules \(deny shell\(touch \*\)\)/);
});

test('secrets never reach the model: a hard link to a user-denied file (decided in the server from the policy file), .env, and a token in a git remote URL', async () => {
  const CANARY = 'CANARY-plan-5b2f';
  const TOKEN = 'ghp_' + 'Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2G3h4';
  const ws = tempWorkspace({ 'private/plan.md': `${CANARY}\n`, '.env': `KEY=${CANARY}-env\n`, 'src/a.ts': 'export {};\n' });
  linkSync(join(ws, 'private', 'plan.md'), join(ws, 'src', 'plan-copy.md'));
  spawnSync('git', ['init', '-q'], { cwd: ws });
  spawnSync('git', ['remote', 'add', 'origin', `https://x-access-token:${TOKEN}@github.com/acme/app.git`], { cwd: ws });
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  writeFileSync(join(home, 'permissions.json'), JSON.stringify({ deny: ['read(private/**)'], allow: ['shell(git remote -v)'] }));
  const m = await models.start([
    { toolCalls: [call('workspace__read_file', { path: 'src/plan-copy.md' })] },
    { toolCalls: [call('workspace__search_text', { query: 'CANARY' })] },
    { toolCalls: [call('workspace__find_files', { pattern: '**/*plan*' })] },
    { toolCalls: [call('shell__run_command', { command: 'git remote -v' })] },
    { text: 'done' },
  ]);
  const r = await run(ws, m.baseUrl, home, ['--approve', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const sent = lastMessages(m);
  for (const body of m.requests.map((q) => JSON.stringify(q.body))) {
    assert.ok(!body.includes(CANARY), 'no request to the model holds the canary');
    assert.ok(!body.includes(TOKEN), 'no request to the model holds the token');
  }
  assert.match(sent[1]!, /builtin: hard link to a denied file/);
  assert.match(sent[1]!, /denied by `deny read\(private\/\*\*\)`/, 'the server decided from the user rule in the policy file');
  assert.match(sent[2]!, /^No matches for "CANARY"$/, 'the search names no denied file and counts nothing');
  assert.equal(sent[3]!, 'No files match "**/*plan*"', 'find_files does not name the hard link or the denied file');
  assert.match(sent[4]!, /origin\thttps:\/\/\[REDACTED\]@github\.com\/acme\/app\.git \(fetch\)/);
  assert.match(sent[4]!, /\[Tiller redacted 2 secrets \(URL credentials\) from this result/);
});
