// The mount plan on a real directory tree: denied files and directories found at any depth, hard links to a denied
// file (in the workspace or in the home directory) found by device+inode, a symlink whose own name is denied hides its
// target, protected paths read-only or given a placeholder when absent; and the denials a run's output is read for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSandboxProfile } from '../../../extension/core/sandbox/profile.js';
import { clearPlanCache, planMounts } from '../../../extension/core/sandbox/mount-plan.js';
import { describeDenials, findSandboxDenials } from '../../../extension/core/sandbox/denials.js';

function world() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-plan-')));
  const ws = join(base, 'ws');
  const home = join(base, 'home');
  mkdirSync(join(ws, '.git', 'hooks'), { recursive: true });
  writeFileSync(join(ws, '.git', 'config'), '[core]\n');
  mkdirSync(join(ws, 'deep', 'er'), { recursive: true });
  writeFileSync(join(ws, 'deep', 'er', '.env.local'), 'x');
  writeFileSync(join(ws, '.env'), 'SECRET');
  linkSync(join(ws, '.env'), join(ws, 'deep', 'innocent.txt'));
  mkdirSync(join(ws, 'keys', '.ssh'), { recursive: true });
  writeFileSync(join(ws, 'keys', '.ssh', 'id'), 'k');
  writeFileSync(join(ws, 'real.txt'), 'r');
  symlinkSync('real.txt', join(ws, '.npmrc'));
  mkdirSync(join(ws, 'private'));
  writeFileSync(join(ws, 'private', 'a.txt'), 'p');
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(join(home, '.aws', 'credentials'), 'AWS');
  linkSync(join(home, '.aws', 'credentials'), join(ws, 'creds-copy.txt'));
  return { base, ws, home };
}

test('the plan hides secrets at any depth, hard links to them and the target of a secret-named symlink', () => {
  clearPlanCache();
  const { ws, home } = world();
  const profile = buildSandboxProfile({ version: 1, workspaceRoots: [ws], caseInsensitive: false, userRules: { deny: ['read(private/**)'], ask: ['write(deep/**)'] }, projectRules: {} }, { home });
  const plan = planMounts(profile);
  for (const f of ['.env', 'deep/er/.env.local', 'deep/innocent.txt', 'creds-copy.txt', 'real.txt']) assert.ok(plan.hiddenFiles.includes(join(ws, f)), f);
  assert.ok(plan.hiddenDirs.includes(join(ws, 'keys', '.ssh')));
  assert.ok(plan.hiddenDirs.includes(join(ws, 'private')));
  assert.ok(plan.readOnlyFiles.includes(join(ws, '.git', 'config')));
  assert.ok(plan.readOnlyDirs.includes(join(ws, '.git', 'hooks')));
  assert.ok(plan.readOnlyDirs.includes(join(ws, 'deep')));
  assert.deepEqual(plan.absentProtected.map((p) => p.path.slice(ws.length + 1)).sort(), ['.git/info', '.husky', '.mcp.json', '.tiller', '.vscode']);
  assert.ok(!plan.hiddenFiles.includes(join(ws, '.git', 'config')));
});

test('the cached walk sees a hard link made since the last plan', () => {
  clearPlanCache();
  const { ws, home } = world();
  const profile = buildSandboxProfile({ version: 1, workspaceRoots: [ws], caseInsensitive: false, userRules: {}, projectRules: {} }, { home });
  assert.ok(!planMounts(profile).hiddenFiles.includes(join(ws, 'later.txt')));
  linkSync(join(ws, '.env'), join(ws, 'later.txt'));
  assert.ok(planMounts(profile).hiddenFiles.includes(join(ws, 'later.txt')));
});

test('a workspace without .git gets an empty read-only .git for the run, so a command cannot make one with hooks', () => {
  clearPlanCache();
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-plan-')));
  const profile = buildSandboxProfile({ version: 1, workspaceRoots: [base], caseInsensitive: false, userRules: {}, projectRules: {} }, { home: join(base, 'nohome') });
  assert.ok(planMounts(profile).absentProtected.some((p) => p.path === join(base, '.git') && p.dir));
});

test('denials are read from the errors programs print and named for the model', () => {
  clearPlanCache();
  const { ws, home } = world();
  const profile = buildSandboxProfile({ version: 1, workspaceRoots: [ws], caseInsensitive: false, userRules: {}, projectRules: {} }, { home });
  const plan = planMounts(profile);
  const output = [
    'cat: .env: Permission denied',
    "PermissionError: [Errno 13] Permission denied: 'deep/innocent.txt'",
    "touch: cannot touch '.git/hooks/x': Read-only file system",
    `Error: EROFS: read-only file system, open '${join(home, 'x')}'`,
    `FileNotFoundError: [Errno 2] No such file or directory: '${join(home, '.aws', 'credentials')}'`,
    'curl: (7) Failed to connect to 10.0.0.1 port 80: Connection refused',
    "IsADirectoryError: [Errno 21] Is a directory: '.mcp.json'",
  ].join('\n');
  const d = findSandboxDenials(output, 'cat .env', ws, plan, [{ host: 'evil.example', port: 443, why: 'no `net(...)` rule allows evil.example' }]);
  const text = describeDenials(d);
  assert.match(text, /denied by sandbox: read \.env \(hidden/);
  assert.match(text, /denied by sandbox: read deep\/innocent\.txt/);
  assert.match(text, /denied by sandbox: write \.git\/hooks\/x \(read-only/);
  assert.match(text, new RegExp(`denied by sandbox: write ${join(home, 'x')} \\(the home directory is read-only`));
  assert.match(text, /denied by sandbox: read .*\.aws\/credentials \(outside the sandbox/);
  assert.match(text, /denied by sandbox: network evil\.example:443/);
  assert.match(text, /denied by sandbox: write \.mcp\.json \(read-only/);
  assert.deepEqual(findSandboxDenials('all good\n', 'true', ws, plan, []), []);
});
