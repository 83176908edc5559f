// `tiller check` and how rule files are loaded, through the bundled CLI.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { buildBundles } from '../../helpers/bundles.js';
import { ConsentStore } from '../../../extension/core/storage/consent-store.js';

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A TILLER_HOME where the user has agreed to the workspace's rule file as it is now. */
function consentedHome(dir: string): string {
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  new ConsentStore(home).grant({ workspace: realpathSync(dir), kind: 'project-rules', name: '.tiller/permissions.json', hash: sha256File(join(dir, '.tiller', 'permissions.json')) }, 'test');
  return home;
}

let dist = '';
before(async () => {
  dist = await buildBundles();
});

function check(ws: string, args: string[], home = mkdtempSync(join(tmpdir(), 'tiller-home-'))) {
  const r = spawnSync(process.execPath, [join(dist, 'cli.js'), 'check', '--workspace', ws, ...args, '--json'], {
    env: { PATH: process.env.PATH ?? '', TILLER_HOME: home },
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr, out: r.status === 0 ? (JSON.parse(r.stdout) as { decision: string; rule: string; reason: string; unconsentedProjectAllow?: string; note?: string }) : undefined };
}

function ws(permissions?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-check-'));
  writeFileSync(join(dir, '.env'), 'X=1\n');
  if (permissions !== undefined) {
    mkdirSync(join(dir, '.tiller'));
    writeFileSync(join(dir, '.tiller', 'permissions.json'), permissions);
  }
  return dir;
}

// Changed with issue 12: this test used to expect the project's allow rules to allow with no consent at all. Now they
// apply only after the user agreed to the file's exact content; until then check says which rule is waiting.
test('a project allow is not in force until the user consented to the file; check says so', () => {
  const dir = ws(JSON.stringify({ allow: ['shell(npm test)', 'write(src/**)'], deny: ['shell(git push *)'] }));
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const before = check(dir, ['--command', 'npm test'], home).out!;
  assert.equal(before.decision, 'ask');
  assert.equal(before.rule, 'default: shell commands ask');
  assert.equal(before.unconsentedProjectAllow, 'allow shell(npm test)');
  assert.match(before.note!, /not in force: you have not agreed to .*permissions\.json/);
  assert.equal(check(dir, ['--command', 'git push origin main'], home).out?.decision, 'deny', 'the project deny applies at once');
  new ConsentStore(home).grant({ workspace: realpathSync(dir), kind: 'project-rules', name: '.tiller/permissions.json', hash: sha256File(join(dir, '.tiller', 'permissions.json')) }, 'test');
  const after = check(dir, ['--command', 'npm test'], home).out!;
  assert.equal(after.decision, 'allow');
  assert.equal(after.rule, 'allow shell(npm test)');
  assert.equal(after.unconsentedProjectAllow, undefined);
  writeFileSync(join(dir, '.tiller', 'permissions.json'), JSON.stringify({ allow: ['shell(npm test)', 'shell(rm *)'] }));
  assert.equal(check(dir, ['--command', 'npm test'], home).out?.decision, 'ask', 'an edited file needs consent again');
});

test('check prints the decision, the rule that decided, and why', () => {
  const dir = ws(JSON.stringify({ allow: ['shell(npm test)', 'write(src/**)'], deny: ['shell(git push *)'] }));
  const home = consentedHome(dir);
  assert.deepEqual(check(dir, ['--command', 'npm test'], home).out?.decision, 'allow');
  const push = check(dir, ['--command', 'npm test && git push origin main'], home).out!;
  assert.equal(push.decision, 'deny');
  assert.match(push.rule, /git push/);
  assert.equal(check(dir, ['--write', 'src/a.ts'], home).out?.decision, 'allow');
  assert.equal(check(dir, ['--write', 'lib/a.ts']).out?.decision, 'ask');
  const env = check(dir, ['--read', '.env']).out!;
  assert.equal(env.decision, 'deny');
  assert.ok(env.reason.length > 0);
  assert.equal(check(dir, ['--tool', 'workspace.read_file', '--args', '{"path": ".env"}']).out?.decision, 'deny', 'a built-in tool is judged by what it reads');
  assert.equal(check(dir, ['--tool', 'github.create_issue']).out?.decision, 'ask');
  assert.equal(check(dir, ['--read', '../outside.txt']).out?.decision, 'deny');
});

test('a project rule file that does not parse is reported with its line and never loosens anything', () => {
  const dir = ws('{\n  "allow": ["read(.env)", "raed(**)"]\n}\n');
  const r = check(dir, ['--read', '.env']);
  assert.equal(r.out?.decision, 'deny');
  assert.match(r.stderr, /permissions\.json:2: .*raed/);
});

test('user rules bind over project rules; a broken user file stops the CLI rather than run without it', () => {
  const dir = ws(JSON.stringify({ allow: ['shell(npm publish)'] }));
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  writeFileSync(join(home, 'permissions.json'), JSON.stringify({ deny: ['shell(npm publish)'] }));
  assert.equal(check(dir, ['--command', 'npm publish'], home).out?.decision, 'deny');
  writeFileSync(join(home, 'permissions.json'), '{"deny": [');
  const broken = check(dir, ['--command', 'npm publish'], home);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /permissions\.json/);
});

test('usage errors name what is wrong', () => {
  const dir = ws();
  const none = check(dir, []);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /exactly one of --read, --write, --command or --tool/);
  const badArgs = check(dir, ['--tool', 'x.y', '--args', '{nope']);
  assert.equal(badArgs.code, 2);
  assert.match(badArgs.stderr, /--args is not valid JSON/);
});

test('check shows the syntax it saw and the simple commands, from the bundled CLI and its shipped grammar', () => {
  const dir = ws(JSON.stringify({ deny: ['shell(rm *)'] }));
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  writeFileSync(join(home, 'permissions.json'), JSON.stringify({ allow: ['shell(npm test)', 'shell(echo *)'] }));
  const run = (args: string[]) =>
    JSON.parse(spawnSync(process.execPath, [join(dist, 'cli.js'), 'check', '--workspace', dir, ...args, '--json'], { env: { PATH: process.env.PATH ?? '', TILLER_HOME: home }, encoding: 'utf8' }).stdout) as {
      decision: string; rule: string; reason: string; syntax: string[]; commands: string[][]; decided: string[][]; parseError?: string;
    };
  const loop = run(['--command', 'for i in 1 2; do npm test; done # twice']);
  assert.equal(loop.decision, 'allow', loop.reason);
  assert.ok(loop.syntax.includes('for_statement') && loop.syntax.includes('comment'), loop.syntax.join(' '));
  assert.deepEqual(loop.commands, [['npm', 'test']]);
  const hidden = run(['--command', 'echo "$(sudo rm -rf x)"']);
  assert.equal(hidden.decision, 'deny');
  assert.deepEqual(hidden.decided, [['rm', '-rf', 'x'], ['echo', '$(sudo rm -rf x)']], 'the substitution runs first');
  const broken = run(['--command', 'echo (']);
  assert.equal(broken.decision, 'ask');
  assert.match(broken.parseError ?? '', /does not parse as bash/);
  const inConfig = run(['--command', 'echo hi', '--cwd', '../']);
  assert.equal(inConfig.decision, 'deny');
  assert.match(inConfig.reason, /working directory/);
});
