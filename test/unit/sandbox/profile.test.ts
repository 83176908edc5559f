// The sandbox as data: what the effective policy turns into (writable, read-only, hidden, network), the bwrap mount
// order that decides which mount wins, the Seatbelt profile for macOS, and net(...) rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSandboxProfile, summariseProfile } from '../../../extension/core/sandbox/profile.js';
import { bwrapArgs } from '../../../extension/core/sandbox/bwrap-args.js';
import { seatbeltProfile, sbplString } from '../../../extension/core/sandbox/seatbelt.js';
import type { MountPlan } from '../../../extension/core/sandbox/mount-plan.js';
import type { EffectivePolicy } from '../../../extension/core/policy/effective.js';
import { parseRule } from '../../../extension/core/policy/rules.js';
import { parseProjectRules } from '../../../extension/core/policy/load.js';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { hostNamedExactly } from '../../../extension/core/policy/net-decision.js';
import { isSpecialAddress } from '../../../extension/core/sandbox/net-proxy.js';

const policy = (userRules: EffectivePolicy['userRules'] = {}, projectRules: EffectivePolicy['projectRules'] = {}): EffectivePolicy => ({
  version: 1,
  workspaceRoots: ['/w/app'],
  caseInsensitive: false,
  userRules,
  projectRules,
});

test('the profile: protected paths and ask/deny write globs read-only, deny reads hidden, the default "writes ask" is not', () => {
  const p = buildSandboxProfile(policy({ ask: ['write(docs/**)'], deny: ['read(private/**)', 'write(build.sh)'], allow: ['write(src/**)'] }), { home: '/home/u' });
  assert.deepEqual(p.workspaceRoots, ['/w/app']);
  assert.deepEqual(p.protectedPaths.map((x) => x.path), ['.git/config', '.git/hooks', '.git/info', '.tiller', '.vscode', '.mcp.json', '.husky']);
  assert.deepEqual(p.readOnlyGlobs, ['docs/**', 'build.sh']);
  assert.ok(p.hiddenGlobs.includes('**/.env'));
  assert.ok(p.hiddenGlobs.includes('private/**'));
  assert.ok(!p.hiddenGlobs.includes('src/**'));
  assert.ok(p.allowPaths.includes('/home/u/.npm') && p.allowPaths.includes('/home/u/.cargo'));
  assert.ok(p.hiddenAbsolute.includes('/home/u/.cargo/credentials.toml'));
  assert.deepEqual(p.network, { allow: [], deny: [] });
});

test('tiller.sandbox.allowPaths extends the toolchain list; `~` expands against the home directory', () => {
  const p = buildSandboxProfile(policy(), { home: '/home/u', allowPaths: ['~/.config/mytool', '/opt/sdk'] });
  assert.ok(p.allowPaths.includes('/home/u/.config/mytool'));
  assert.ok(p.allowPaths.includes('/opt/sdk'));
});

test('net rules: allows reach the proxy list, denies and asks never; a set with errors loses its allows', () => {
  const p = buildSandboxProfile(policy({ allow: ['net(registry.npmjs.org)', 'net(*.github.com)'], deny: ['net(evil.example)'] }), { home: '/h' });
  assert.deepEqual(p.network, { allow: ['registry.npmjs.org', '*.github.com'], deny: ['evil.example'] });
  const broken = buildSandboxProfile(policy({ allow: ['net(*)', 'bogus(x)'] }), { home: '/h' });
  assert.deepEqual(broken.network.allow, []);
  const summary = summariseProfile(p, 'bubblewrap');
  assert.match(summary.network, /registry\.npmjs\.org, \*\.github\.com/);
  assert.equal(summariseProfile(broken, 'bubblewrap').network, 'off');
});

test('net(...) parses as a rule kind; a malformed one is an error naming the file and line', () => {
  const ok = parseRule('net(*.github.com)', 'allow', 'user');
  assert.ok(ok.ok && ok.rule.kind === 'net');
  for (const bad of ['net(https://x.com)', 'net(x.com/path)', 'net(user@x.com)', 'net()']) {
    const r = parseRule(bad, 'allow', 'user');
    assert.ok(!r.ok, bad);
  }
  const loaded = parseProjectRules('{\n  "allow": [\n    "read(src/**)",\n    "net(http://evil)"\n  ]\n}\n', '/w/.tiller/permissions.json');
  assert.equal(loaded.errors.length, 1);
  assert.equal(loaded.errors[0]!.line, 4);
  assert.match(loaded.errors[0]!.message, /net pattern/);
});

test('the engine decides net: no rule asks, deny beats allow, globs over names, case-insensitive', () => {
  const e = createPolicyEngine({ workspaceRoots: ['/w/app'], caseInsensitive: false, userRules: { allow: ['net(*.github.com)', 'net(*)'], deny: ['net(evil.example)'] } });
  assert.equal(e.decide({ kind: 'net', host: 'API.GitHub.com' }).decision, 'allow');
  assert.equal(e.decide({ kind: 'net', host: 'evil.example' }).decision, 'deny');
  const none = createPolicyEngine({ workspaceRoots: ['/w/app'], caseInsensitive: false });
  assert.equal(none.decide({ kind: 'net', host: 'example.com' }).decision, 'ask');
  assert.equal(none.decide({ kind: 'net', host: 'bad host/x' }).decision, 'deny');
});

test('loopback and private addresses need a rule naming the host exactly', () => {
  const rules = [parseRule('net(*)', 'allow', 'user'), parseRule('net(localhost)', 'allow', 'user')].map((r) => (r.ok ? r.rule : assert.fail()));
  assert.equal(hostNamedExactly(rules, 'localhost'), true);
  assert.equal(hostNamedExactly(rules, '127.0.0.1'), false);
  for (const a of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '172.20.0.1', '169.254.169.254', '::1', 'fe80::1', '::ffff:127.0.0.1', '0.0.0.0']) assert.equal(isSpecialAddress(a), true, a);
  for (const a of ['93.184.216.34', '2606:4700::1111']) assert.equal(isSpecialAddress(a), false, a);
});

function plan(overrides: Partial<MountPlan> = {}): MountPlan {
  const profile = buildSandboxProfile(policy(), { home: '/home/u' });
  return {
    profile,
    systemDirs: ['/usr', '/bin', '/etc'],
    allowDirs: ['/home/u/.npm'],
    readPaths: [],
    hiddenFiles: ['/w/app/.env'],
    hiddenDirs: ['/w/app/.ssh'],
    readOnlyFiles: ['/w/app/.git/config'],
    readOnlyDirs: ['/w/app/.git/hooks'],
    absentProtected: [{ path: '/w/app/.mcp.json', dir: false }],
    hiddenRelative: ['.env', '.ssh'],
    ...overrides,
  };
}

test('bwrap: namespaces and dropped capabilities; later mounts cover earlier ones in the order that keeps the rules', () => {
  const a = bwrapArgs({ plan: plan(), privateTmp: '/p/tmp', hiddenFile: '/p/hf', hiddenDir: '/p/hd', emptyFile: '/p/ef', emptyDir: '/p/ed', symlinks: { '/bin': 'usr/bin' }, cwd: '/w/app', argv: ['/bin/bash', '-c', 'true'] });
  for (const flag of ['--die-with-parent', '--new-session', '--unshare-all']) assert.ok(a.includes(flag), flag);
  assert.deepEqual(a.slice(a.indexOf('--cap-drop'), a.indexOf('--cap-drop') + 2), ['--cap-drop', 'ALL']);
  assert.ok(!a.includes('--share-net'));
  const at = (...xs: string[]) => {
    for (let i = 0; i < a.length; i++) if (xs.every((x, j) => a[i + j] === x)) return i;
    return assert.fail(`missing ${xs.join(' ')}`);
  };
  assert.ok(at('--symlink', 'usr/bin', '/bin') >= 0);
  const order = [
    at('--ro-bind', '/usr', '/usr'),
    at('--bind', '/p/tmp', '/tmp'),
    at('--tmpfs', '/home/u'),
    at('--bind', '/home/u/.npm', '/home/u/.npm'),
    at('--bind', '/w/app', '/w/app'),
    at('--ro-bind', '/w/app/.git/hooks', '/w/app/.git/hooks'),
    at('--ro-bind', '/w/app/.git/config', '/w/app/.git/config'),
    at('--ro-bind', '/p/ed', '/w/app/.mcp.json'),
    at('--ro-bind', '/p/hd', '/w/app/.ssh'),
    at('--ro-bind', '/p/hf', '/w/app/.env'),
    at('--remount-ro', '/home/u'),
    at('--chdir', '/w/app'),
  ];
  assert.deepEqual([...order].sort((x, y) => x - y), order);
  assert.deepEqual(a.slice(-4), ['--', '/bin/bash', '-c', 'true']);
  assert.ok(!a.includes('/p/tmp/..'));
});

test('bwrap: a home directory inside the workspace is not covered by an empty one', () => {
  const p = plan();
  p.profile = buildSandboxProfile({ ...policy(), workspaceRoots: ['/home/u'] }, { home: '/home/u' });
  const a = bwrapArgs({ plan: p, privateTmp: '/p/tmp', hiddenFile: '/p/hf', hiddenDir: '/p/hd', emptyFile: '/p/ef', emptyDir: '/p/ed', symlinks: {}, cwd: '/home/u', argv: ['true'] });
  assert.ok(!a.includes('--tmpfs'));
  assert.ok(!a.includes('--remount-ro'));
});

test('Seatbelt: deny by default, writable roots, read-only and hidden paths denied last, network off or only the proxy port', () => {
  const sb = seatbeltProfile(plan(), { privateTmp: '/private/tmp/t' });
  const lines = sb.trim().split('\n');
  assert.equal(lines[0], '(version 1)');
  assert.equal(lines[1], '(deny default)');
  assert.match(sb, /\(allow file-read\* file-write\* \(subpath "\/w\/app"\) \(subpath "\/private\/tmp\/t"\) \(subpath "\/home\/u\/\.npm"\)/);
  const ro = lines.findIndex((l) => l.startsWith('(deny file-write*'));
  const hidden = lines.findIndex((l) => l.startsWith('(deny file-read* file-write*'));
  const allow = lines.findIndex((l) => l.startsWith('(allow file-read* file-write*'));
  assert.ok(allow < ro && ro < hidden, 'denies come after the allows they override');
  assert.match(lines[ro]!, /\(subpath "\/w\/app\/\.git\/hooks"\)/);
  assert.match(lines[ro]!, /\(literal "\/w\/app\/\.git\/config"\)/);
  assert.match(lines[ro]!, /\(literal "\/w\/app\/\.mcp\.json"\)/);
  assert.match(lines[hidden]!, /\(literal "\/w\/app\/\.env"\) |\(literal "\/w\/app\/\.env"\)\)/);
  assert.match(lines[hidden]!, /\(subpath "\/w\/app\/\.ssh"\)/);
  assert.equal(lines.at(-1), '(deny network*)');
  assert.equal(seatbeltProfile(plan(), { privateTmp: '/t', proxyPort: 4242 }).trim().split('\n').at(-1), '(allow network-outbound (remote ip "localhost:4242"))');
  assert.equal(sbplString('a"b\\c'), '"a\\"b\\\\c"');
  assert.throws(() => sbplString('a\nb'), /control character/);
});
