// Slash commands, custom agents and skills through `tiller run`: the bundled CLI, the scripted model over HTTP, the
// real built-in MCP servers. What is asserted is what the model was sent (request bodies) and what ran on disk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { Models, runCli } from '../../helpers/cli.js';
import type { ModelServer, ScriptedReply } from '../../fixtures/model-server.js';

const FIXTURE = join(__dirname, '../../fixtures/workflows/repo');
let dist = '';
const models = new Models();
before(async () => {
  dist = await buildBundles();
});
after(() => models.closeAll());

interface Body {
  messages: { role: string; content: string | null; tool_calls?: unknown[] }[];
  tools?: { function: { name: string } }[];
}

function repo(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'tiller-wf-')), 'repo');
  cpSync(FIXTURE, root, { recursive: true });
  return root;
}

const call = (name: string, args: unknown) => ({ name, arguments: args });
const body = (m: ModelServer, i: number) => m.requests[i]!.body as Body;
const toolNames = (b: Body) => (b.tools ?? []).map((t) => t.function.name).sort();
const userText = (b: Body) => b.messages.filter((x) => x.role === 'user').map((x) => x.content ?? '').join('\n');
const allText = (b: Body) => b.messages.map((x) => x.content ?? '').join('\n');

async function run(ws: string, m: ModelServer, args: string[]) {
  return runCli(dist, ['run', ...args, '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--small-model', 'fixture-small', '--approve', 'all']);
}

test('`tiller run "/fix-issue 42"` sends the expanded prompt as the task, with only the command\'s tools', async () => {
  const ws = repo();
  const m = await models.start([{ text: 'Fixed.' }]);
  const r = await run(ws, m, ['/fix-issue 42']);
  assert.equal(r.code, 0, r.stderr);
  const b = body(m, 0);
  assert.match(userText(b), /Task:\nFind and fix issue #42\.\n\nRead the relevant code first/);
  assert.ok(!userText(b).includes('$ARGUMENTS') && !/Task:\n\/fix-issue/.test(userText(b)));
  // allowed-tools: Read, Grep, Glob, Edit -- no shell, no list_dir; the control tools stay.
  assert.deepEqual(toolNames(b), ['ask_user', 'explore', 'load_skill', 'delegate', 'workspace__find_files', 'workspace__propose_edit', 'workspace__read_file', 'workspace__search_text'].sort());
  // The malformed command is named with file and line; everything else still loaded.
  assert.match(r.stderr, /warning: .*\.claude\/commands\/broken\.md:\d+: front matter is not valid YAML/);
  assert.match(r.stderr, /\/fix-issue: the prompt of \.claude\/commands\/fix-issue\.md \(from the repository\)/);
});

test('an unknown /name is sent as plain text; a namespaced command expands $1 and $2', async () => {
  const ws = repo();
  const m = await models.start([{ text: 'ok' }, { text: 'ok' }]);
  assert.equal((await run(ws, m, ['/usr/bin is missing from PATH'])).code, 0);
  assert.match(userText(body(m, 0)), /Task:\n\/usr\/bin is missing from PATH/);
  assert.equal((await run(ws, m, ['/frontend:test Button --ci'])).code, 0);
  assert.match(userText(body(m, 1)), /Task:\nRun the tests of the Button component with the flags --ci and report any failure\./);
});

test('${input:name}: a clear error without --input, the value with it', async () => {
  const ws = repo();
  // mode: ask is plan mode here: a plan, approved by --approve all, then the answer.
  const m = await models.start([{ text: '1. Read src/parse.js and explain it.' }, { text: 'It splits on commas.' }]);
  const missing = await run(ws, m, ['/explain']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /\/explain \(\.github\/prompts\/explain\.prompt\.md\) needs \$\{input:symbol\}: give --input symbol=VALUE/);
  assert.equal(m.requests.length, 0, 'nothing was sent');
  const given = await run(ws, m, ['/explain', '--input', 'symbol=parse']);
  assert.equal(given.code, 0, given.stderr);
  assert.match(userText(body(m, 0)), /Explain parse in plain words for a new team member/);
  // mode: ask -> plan mode: read-only tools only.
  assert.ok(!toolNames(body(m, 0)).includes('workspace__propose_edit') && !toolNames(body(m, 0)).includes('shell__run_command'));
});

test('--agent reviewer: its prompt, its tools only; a call to a tool outside its list is refused and never runs', async () => {
  const ws = repo();
  const m = await models.start([
    { toolCalls: [call('shell__run_command', { command: 'touch ran.txt' })] },
    { text: 'No problems found.' },
  ]);
  const r = await run(ws, m, ['Review src/parse.js', '--agent', 'reviewer']);
  assert.equal(r.code, 0, r.stderr);
  const b = body(m, 0);
  assert.equal(b.messages[0]!.role, 'system');
  assert.match(b.messages[0]!.content!, /# Custom agent: reviewer\n.*\.claude\/agents\/reviewer\.md \(from the repository\)[\s\S]*You are a senior code reviewer ensuring high standards/);
  assert.deepEqual(toolNames(b).filter((n) => n.includes('__')), ['workspace__find_files', 'workspace__read_file', 'workspace__search_text']);
  assert.ok(!toolNames(b).includes('delegate') || !JSON.stringify(b.tools).includes('"reviewer"'), 'it is not offered to delegate to itself');
  assert.equal(existsSync(join(ws, 'ran.txt')), false, 'the shell command never ran');
  const answer = body(m, 1).messages.at(-1)!;
  assert.equal(answer.role, 'tool');
  assert.match(answer.content!, /there is no tool named `shell__run_command`/);
});

test('a command naming an agent runs as it; an unknown --agent is a usage error naming the agents', async () => {
  const ws = repo();
  const m = await models.start([{ text: 'Reviewed.' }]);
  const r = await run(ws, m, ['/review src/']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(body(m, 0).messages[0]!.content!, /You are a senior code reviewer/);
  assert.match(userText(body(m, 0)), /Review the changes in src\/ and list the problems/);
  const bad = await run(ws, m, ['hello', '--agent', 'ghost']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no agent "ghost"; the agents are: docs, planner, reviewer/);
});

test('a skill: only name and description in the prompt until the model loads it; then its body', async () => {
  const ws = repo();
  const m = await models.start([
    { toolCalls: [call('load_skill', { name: 'release-notes' })] },
    { toolCalls: [call('load_skill', { name: 'release-notes', file: '../../commands/fix-issue.md' })] },
    { text: 'Release notes written.' },
  ]);
  const r = await run(ws, m, ['Write the release notes for 1.2']);
  assert.equal(r.code, 0, r.stderr);
  const first = body(m, 0);
  assert.match(first.messages[0]!.content!, /# Skills\n[\s\S]*- release-notes: Write release notes from the git log/);
  assert.ok(!allText(first).includes('HOUSE-STYLE-MARKER-7731'), 'the body is not in the prompt before it is loaded');
  assert.ok(toolNames(first).includes('load_skill'));
  const second = body(m, 1);
  const last = second.messages.at(-1)!;
  assert.equal(last.role, 'user');
  assert.match(last.content!, /^\[Skill release-notes from \.claude\/skills\/release-notes\/SKILL\.md\]\n# Release notes[\s\S]*HOUSE-STYLE-MARKER-7731/);
  assert.match(second.messages.at(-2)!.content!, /Loaded the skill release-notes/);
  // A file outside the skill's folder is refused.
  assert.match(body(m, 2).messages.at(-1)!.content!, /file must be a path inside the skill's folder/);
});

test('a skill whose file a deny rule covers is not loaded', async () => {
  const ws = repo();
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(join(ws, '.tiller'), { recursive: true });
  writeFileSync(join(ws, '.tiller', 'permissions.json'), JSON.stringify({ deny: ['read(.claude/skills/**)'] }));
  const m = await models.start([{ toolCalls: [call('load_skill', { name: 'release-notes' })] }, { text: 'Could not.' }]);
  const r = await run(ws, m, ['Write the release notes']);
  assert.equal(r.code, 0, r.stderr);
  const after = body(m, 1);
  assert.ok(!allText(after).includes('HOUSE-STYLE-MARKER-7731'));
  assert.match(after.messages.at(-1)!.content!, /^Not loaded: .*deny/);
});

test('delegate: the coordinator hands a task to a custom agent; it runs with its prompt and tools, its cost in the task', async () => {
  const ws = repo();
  const m = await models.start([
    { toolCalls: [call('delegate', { agent: 'reviewer', task: 'Review src/parse.js for bugs.' })] },
    { text: 'parse() does not handle an empty string.' },
    { text: 'The reviewer found one problem.' },
  ]);
  const r = await runCli(dist, ['run', 'Get src/parse.js reviewed', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const coordinator = body(m, 0);
  assert.match(JSON.stringify(coordinator.tools), /"delegate"[\s\S]*reviewer: Expert code reviewer/);
  const sub = body(m, 1);
  assert.match(sub.messages[0]!.content!, /You are a senior code reviewer/);
  assert.match(userText(sub), /Review src\/parse\.js for bugs\./);
  assert.deepEqual(toolNames(sub), ['workspace__find_files', 'workspace__read_file', 'workspace__search_text']);
  assert.match(body(m, 2).messages.at(-1)!.content!, /^Report from the agent reviewer:\nparse\(\) does not handle an empty string\./);
  const outcome = JSON.parse(r.stdout) as { totals: { modelCalls: number; promptTokens: number } };
  assert.equal(outcome.totals.modelCalls, 3, 'the subagent\'s call is in the task\'s totals');
  const reported = m.reported.reduce((n, u) => n + u.prompt_tokens, 0);
  assert.equal(outcome.totals.promptTokens, reported);
});

export type { ScriptedReply };

test('a resumed --agent session keeps the agent\'s prompt and narrowed tools', async () => {
  const ws = repo();
  const first = await models.start([{ text: 'First pass done.' }]);
  const r = await run(ws, first, ['Review src/parse.js', '--agent', 'reviewer']);
  assert.equal(r.code, 0, r.stderr);
  const session = /session: (\S+)/.exec(r.stderr)?.[1];
  assert.ok(session, r.stderr);
  const again = await models.start([{ text: 'Resumed and still reviewing.' }]);
  const resumed = await runCli(dist, ['run', '--resume', session, '--workspace', ws, '--base-url', again.baseUrl, '--model', 'fixture-large', '--small-model', 'fixture-small', '--approve', 'all']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const b = body(again, 0);
  assert.match(b.messages[0]!.content!, /You are a senior code reviewer/);
  assert.deepEqual(toolNames(b).filter((n) => n.includes('__')), ['workspace__find_files', 'workspace__read_file', 'workspace__search_text']);
});
