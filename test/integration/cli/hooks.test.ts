// Issue 16, lifecycle hooks end to end: the bundled CLI, the scripted model over HTTP, the real built-in servers and
// real bash hooks in the sandbox. Each test checks the effect: what ran on disk, what the hook was given on stdin, and
// what the model was sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
type Hook = { matcher?: string; command: string; timeout?: number };
const settings = (hooks: Record<string, Hook[]>) =>
  JSON.stringify({ hooks: Object.fromEntries(Object.entries(hooks).map(([event, list]) => [event, list.map((h) => ({ ...(h.matcher !== undefined ? { matcher: h.matcher } : {}), hooks: [{ type: 'command', command: h.command, ...(h.timeout ? { timeout: h.timeout } : {}) }] }))])) }, null, 2);

function home(userSettings?: string, permissions?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  if (userSettings) writeFileSync(join(dir, 'settings.json'), userSettings);
  if (permissions) writeFileSync(join(dir, 'permissions.json'), JSON.stringify(permissions));
  return dir;
}

function run(ws: string, baseUrl: string, tillerHome: string, extra: string[], task = 'do it') {
  return runCli(dist, ['run', task, '--workspace', ws, '--base-url', baseUrl, '--model', 'fixture-large', ...extra], { home: tillerHome });
}

const touch = (file: string) => [{ toolCalls: [call('shell__run_command', { command: `touch ${file}` })] }, { text: 'done' }];

test('a PreToolUse hook that exits 2 stops the shell call: the command never runs and the model gets the stderr', async () => {
  const ws = tempWorkspace({ 'README.md': 'hi\n' });
  const h = home(settings({ PreToolUse: [{ matcher: 'Bash', command: 'cat > pre-stdin.json; echo "no shell here: use the test task" >&2; exit 2' }] }));
  const m = await models.start(touch('ran'));
  const r = await run(ws, m.baseUrl, h, ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(ws, 'ran')), false, 'the blocked command did not run');
  assert.match(lastMessages(m)[1]!, /Blocked by a PreToolUse hook; the call was not run\. The hook said:\nno shell here: use the test task/);
  const stdin = JSON.parse(readFileSync(join(ws, 'pre-stdin.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(stdin.hook_event_name, 'PreToolUse');
  assert.equal(stdin.tool_name, 'Bash');
  assert.deepEqual(stdin.tool_input, { command: 'touch ran' });
  assert.deepEqual(stdin.tiller_input, { command: 'touch ran' });
  assert.equal(stdin.cwd, ws.replace(/\/$/, ''));
  assert.match(String(stdin.transcript_path), /sessions\/.+\.jsonl$/);
  assert.equal(typeof stdin.session_id, 'string');
  const trace = readFileSync(r.stderr.match(/trace: (.+)/)![1]!, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const hook = trace.find((e) => e.type === 'hook')!;
  assert.equal(hook.event, 'PreToolUse');
  assert.equal(hook.exitCode, 2);
  assert.equal(hook.decision, 'block');
  assert.match(String(hook.output), /no shell here/);
});

test('a PostToolUse hook sees the tool result on stdin; its exit 2 is added to what the model sees', async () => {
  const ws = tempWorkspace({ 'notes.txt': 'CONTENT-7f3a\n' });
  const h = home(settings({ PostToolUse: [{ matcher: 'Read', command: 'cat > post-stdin.json; echo "remember the style guide" >&2; exit 2' }] }));
  const m = await models.start([{ toolCalls: [call('workspace__read_file', { path: 'notes.txt' })] }, { text: 'done' }]);
  const r = await run(ws, m.baseUrl, h, ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  const stdin = JSON.parse(readFileSync(join(ws, 'post-stdin.json'), 'utf8')) as { tool_name: string; tool_input: { file_path: string }; tool_response: { content: string; isError: boolean } };
  assert.equal(stdin.tool_name, 'Read');
  assert.equal(stdin.tool_input.file_path, join(ws, 'notes.txt'));
  assert.match(stdin.tool_response.content, /CONTENT-7f3a/);
  assert.equal(stdin.tool_response.isError, false);
  assert.match(lastMessages(m)[1]!, /CONTENT-7f3a[\s\S]*\[PostToolUse hook\] remember the style guide/);
});

test('a project hook does not run before consent, and runs after it (--trust-workspace-config)', async () => {
  const ws = tempWorkspace({
    '.claude/settings.json': settings({ PreToolUse: [{ matcher: 'Bash', command: 'bash .claude/hooks/mark.sh' }] }),
    '.claude/hooks/mark.sh': 'echo ran >> hook-ran.txt\n',
  });
  const h = home();
  const first = await models.start(touch('one'));
  const without = await run(ws, first.baseUrl, h, ['--approve', 'all']);
  assert.equal(without.code, 0, without.stderr);
  assert.equal(existsSync(join(ws, 'hook-ran.txt')), false, 'no consent: the hook did not run');
  assert.match(without.stderr, /\.claude\/settings\.json hooks not run: it needs your consent/);
  assert.match(without.stderr, /\.claude\/settings\.json: its 1 hook\(s\) do not run/);

  const second = await models.start(touch('two'));
  const trusted = await run(ws, second.baseUrl, h, ['--approve', 'all', '--trust-workspace-config']);
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.match(trusted.stderr, /trusting \.claude\/settings\.json \(--trust-workspace-config\): PreToolUse \[Bash\]: bash \.claude\/hooks\/mark\.sh \(timeout 60s\); runs \.claude\/hooks\/mark\.sh \(sha256 /);
  assert.equal(readFileSync(join(ws, 'hook-ran.txt'), 'utf8'), 'ran\n', 'with consent the hook ran once');
  assert.equal(existsSync(join(h, 'consent.json')), false, 'the flag agrees for one run and stores nothing');
});

test('a stored consent is pinned to the script the hook runs: changing the script asks again', async () => {
  const ws = tempWorkspace({
    '.tiller/settings.json': settings({ SessionStart: [{ command: './start.sh' }] }),
    'start.sh': '#!/bin/bash\necho started >> started.txt\n',
  });
  spawnChmod(join(ws, 'start.sh'));
  const h = home();
  const asked = await models.start([{ text: 'done' }]);
  const yes = await runCli(dist, ['run', 'hi', '--workspace', ws, '--base-url', asked.baseUrl, '--model', 'fixture-large', '--approve', 'ask'], { home: h, stdin: 'y\n' });
  assert.equal(yes.code, 0, yes.stderr);
  assert.match(yes.stderr, /This workspace's \.tiller\/settings\.json wants to run these hook commands \(inside the sandbox\) when the agent works:\n {2}SessionStart: \.\/start\.sh \(timeout 60s\)\n {2}runs start\.sh/);
  assert.equal(readFileSync(join(ws, 'started.txt'), 'utf8'), 'started\n');
  const again = await models.start([{ text: 'done' }]);
  assert.equal((await run(ws, again.baseUrl, h, ['--approve', 'never'])).code, 0);
  assert.equal(readFileSync(join(ws, 'started.txt'), 'utf8'), 'started\nstarted\n', 'the stored consent holds for the same content');

  writeFileSync(join(ws, 'start.sh'), '#!/bin/bash\necho changed >> started.txt\n');
  const changed = await models.start([{ text: 'done' }]);
  const r = await run(ws, changed.baseUrl, h, ['--approve', 'never']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(ws, 'started.txt'), 'utf8'), 'started\nstarted\n', 'a changed script is not run without a new consent');
});

function spawnChmod(file: string): void {
  // The hook runs `./start.sh` directly.
  chmodSync(file, 0o755);
}

test("a hook's allow never overrides a rule's deny", async () => {
  const ws = tempWorkspace({});
  const allow = `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"hook says fine"}}'`;
  const h = home(settings({ PreToolUse: [{ matcher: 'Bash', command: allow }] }), { deny: ['shell(touch *)'] });
  const m = await models.start(touch('denied'));
  const r = await run(ws, m.baseUrl, h, ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(ws, 'denied')), false);
  assert.match(lastMessages(m)[1]!, /Denied by the permission rules \(deny shell\(touch \*\)\)/);
});

test("a user hook's allow skips a rule's ask; a project hook's allow does not", async () => {
  const allow = `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}'`;
  // The user's hook: the shell command (which the default rules ask about) runs under --approve never.
  const ws1 = tempWorkspace({});
  const m1 = await models.start(touch('by-user-hook'));
  const r1 = await run(ws1, m1.baseUrl, home(settings({ PreToolUse: [{ matcher: 'Bash', command: allow }] })), ['--approve', 'never']);
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(existsSync(join(ws1, 'by-user-hook')), true, "the user hook's allow answered the ask");

  // The same hook from the repository, consented to: the ask still asks, and --approve never declines it.
  const ws2 = tempWorkspace({ '.claude/settings.json': settings({ PreToolUse: [{ matcher: 'Bash', command: allow }] }) });
  const m2 = await models.start(touch('by-project-hook'));
  const r2 = await run(ws2, m2.baseUrl, home(), ['--approve', 'never', '--trust-workspace-config']);
  assert.equal(r2.code, 4, r2.stderr);
  assert.match(r2.stderr, /\[approval declined by --approve never\] run the command: touch by-project-hook/);
  assert.equal(existsSync(join(ws2, 'by-project-hook')), false, "a project hook's allow is no grant");
});

test('a project hook can deny: the call is refused with its reason', async () => {
  const deny = `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"the repo forbids touch"}}'`;
  const ws = tempWorkspace({ '.claude/settings.json': settings({ PreToolUse: [{ matcher: 'Bash', command: deny }] }) });
  const m = await models.start(touch('nope'));
  const r = await run(ws, m.baseUrl, home(), ['--approve', 'all', '--trust-workspace-config']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(ws, 'nope')), false);
  assert.match(lastMessages(m)[1]!, /Denied by a hook \(hook PreToolUse \.claude\/settings\.json: .+\): the repo forbids touch/);
});

test('a hanging hook is killed at its timeout and neither blocks nor allows', async () => {
  const hang = settings({ PreToolUse: [{ matcher: 'Bash', command: 'echo started > hang-started; sleep 30; exit 2', timeout: 1 }] });
  // Not a block: under --approve all the command runs after the hook is killed.
  const ws1 = tempWorkspace({});
  const m1 = await models.start(touch('after-timeout'));
  const started = Date.now();
  const r1 = await run(ws1, m1.baseUrl, home(hang), ['--approve', 'all']);
  assert.equal(r1.code, 0, r1.stderr);
  assert.ok(Date.now() - started < 20_000, 'the hook was not waited for');
  assert.ok(existsSync(join(ws1, 'hang-started')), 'the hook did start');
  assert.equal(existsSync(join(ws1, 'after-timeout')), true, 'a timed-out hook does not block');
  assert.match(r1.stderr, /hook PreToolUse \(.+settings\.json: echo started.+\) killed after its timeout of 1s; it neither blocks nor allows/);
  // Not an allow: under --approve never the rule's ask still declines.
  const ws2 = tempWorkspace({});
  const m2 = await models.start(touch('never'));
  const r2 = await run(ws2, m2.baseUrl, home(hang), ['--approve', 'never']);
  assert.equal(r2.code, 4, r2.stderr);
  assert.equal(existsSync(join(ws2, 'never')), false);
});

test("matchers: Claude's aliases (Edit|Write) and Tiller's server.tool names pick the calls they name", async () => {
  const ws = tempWorkspace({ 'a.txt': 'one\n' });
  const h = home(
    settings({
      PreToolUse: [
        { matcher: 'Edit|Write', command: 'jq -r .tool_name >> edits.log 2>/dev/null || cat >> edits.log' },
        { matcher: 'workspace\\.list_dir', command: 'echo listed >> lists.log' },
        { matcher: 'Bash', command: 'echo bash >> bash.log' },
      ],
    }),
  );
  const m = await models.start([
    { toolCalls: [call('workspace__propose_edit', { path: 'a.txt', edits: [{ search: 'one', replace: 'two' }] })] },
    { toolCalls: [call('workspace__list_dir', {})] },
    { text: 'done' },
  ]);
  const r = await run(ws, m.baseUrl, h, ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(ws, 'edits.log'), 'utf8'), /Edit/);
  assert.equal(readFileSync(join(ws, 'lists.log'), 'utf8'), 'listed\n');
  assert.equal(existsSync(join(ws, 'bash.log')), false, 'no shell call, so the Bash hook never ran');
  assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'two\n');
});

test('UserPromptSubmit additionalContext reaches the model as a hook message', async () => {
  const ws = tempWorkspace({});
  const ctx = `echo '{"hookSpecificOutput":{"hookEventName":"UserPromptSubmit","additionalContext":"CTX-9d1: the release branch is frozen"}}'`;
  const m = await models.start([{ text: 'done' }]);
  const r = await run(ws, m.baseUrl, home(settings({ UserPromptSubmit: [{ command: ctx }], SessionStart: [{ command: 'echo "SESSION-CTX-44"' }] })), ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  const messages = m.requests[0]!.body.messages as { role: string; content: string }[];
  const users = messages.filter((x) => x.role === 'user').map((x) => x.content);
  assert.ok(users.includes('CTX-9d1: the release branch is frozen'), JSON.stringify(users));
  assert.ok(users.includes('SESSION-CTX-44'), 'plain stdout of a SessionStart hook is context too');
});

test('UserPromptSubmit exit 2 blocks the prompt: the model is never called', async () => {
  const ws = tempWorkspace({});
  const m = await models.start([{ text: 'done' }]);
  const r = await run(ws, m.baseUrl, home(settings({ UserPromptSubmit: [{ command: 'grep -q secret && { echo "no secrets in prompts" >&2; exit 2; } || exit 0' }] })), ['--approve', 'all'], 'print the secret');
  assert.equal(r.code, 4, r.stderr);
  assert.equal(m.requests.length, 0);
  assert.match(r.stderr, /the prompt was blocked by a UserPromptSubmit hook: no secrets in prompts/);
});

test('a Stop hook that exits 2 makes the agent continue with its stderr as feedback', async () => {
  const ws = tempWorkspace({});
  mkdirSync(join(ws, 'sub'));
  const stop = 'if [ -f stop-seen ]; then exit 0; fi; touch stop-seen; echo "run the tests before you finish" >&2; exit 2';
  const m = await models.start([{ text: 'done' }, { text: 'ran them, done now' }]);
  const r = await run(ws, m.baseUrl, home(settings({ Stop: [{ command: stop }] })), ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(m.requests.length, 2, 'the agent was sent back once');
  assert.match(lastMessages(m)[1]!, /A Stop hook did not let you finish yet\. It said:\nrun the tests before you finish/);
  assert.match(r.stdout, /ran them, done now/);
});

test('malformed settings: the file and line are named and the rest still loads', async () => {
  const ws = tempWorkspace({});
  const broken = '{\n  "hooks": {\n    "PreToolUse": [\n      {"matcher": "Bash", "hooks": [{"type": "command", "command": "echo ok >> good.log"}]},\n      {"matcher": "(", "hooks": []},\n      {"matcher": "Read", "hooks": [{"type": "prompt", "command": "x"}]}\n    ],\n    "OnBoot": []\n  }\n}\n';
  const h = home(broken);
  const m = await models.start(touch('x'));
  const r = await run(ws, m.baseUrl, h, ['--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /settings\.json:5: hooks\.PreToolUse\[1\]\.matcher: not a valid regular expression/);
  assert.match(r.stderr, /settings\.json:6: hooks\.PreToolUse\[2\]\.hooks\[0\]\.type: only `"type": "command"` hooks are supported/);
  assert.match(r.stderr, /settings\.json:8: unknown hook event `OnBoot`/);
  assert.equal(readFileSync(join(ws, 'good.log'), 'utf8'), 'ok\n', 'the valid hook still ran');

  const notJson = home('{ "hooks": { "Stop": [ }');
  const m2 = await models.start([{ text: 'done' }]);
  const r2 = await run(ws, m2.baseUrl, notJson, ['--approve', 'all']);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /settings\.json:1: not valid JSON \(ValueExpected\)/);
});
