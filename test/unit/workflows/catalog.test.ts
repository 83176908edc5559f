// The real-shaped files of each format (test/fixtures/workflows/repo), as Claude Code and VS Code document them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkflows } from '../../../extension/core/workflows/catalog.js';
import { prepareTask } from '../../../extension/core/workflows/prepare-task.js';
import { skillLibrary } from '../../../extension/core/workflows/skills.js';
import { toolAllowed } from '../../../extension/core/agent/profile.js';

const FIXTURE = join(__dirname, '../../fixtures/workflows/repo');

function copy(): { root: string; home: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-workflows-'));
  const root = join(dir, 'repo');
  cpSync(FIXTURE, root, { recursive: true });
  const home = join(dir, 'home');
  mkdirSync(home);
  return { root, home };
}

const MODELS = { large: 'fixture-large', small: 'fixture-small' };

test('commands: Claude files, sub-folders namespaced, prompt files, .tiller; front matter read', () => {
  const { root, home } = copy();
  const c = loadWorkflows({ workspaceRoot: root, tillerHome: home }, MODELS);
  assert.deepEqual(c.commands.map((x) => x.name), ['explain', 'fix-issue', 'frontend:test', 'review', 'summarize']);
  const fix = c.commands.find((x) => x.name === 'fix-issue')!;
  assert.equal(fix.description, 'Fix a GitHub issue by number');
  assert.equal(fix.argumentHint, '[issue-number]');
  assert.equal(fix.source, '.claude/commands/fix-issue.md');
  assert.equal(fix.origin, 'project');
  assert.ok(fix.tools && toolAllowed(fix.tools, 'workspace.read_file') && toolAllowed(fix.tools, 'workspace.propose_edit') && !toolAllowed(fix.tools, 'shell.run_command'));
  const explain = c.commands.find((x) => x.name === 'explain')!;
  assert.equal(explain.mode, 'plan', 'mode: ask is read-only');
  assert.equal(explain.role, undefined, 'GPT-4o is not a configured model');
  assert.equal(c.commands.find((x) => x.name === 'review')!.agent, 'reviewer');
  assert.equal(c.commands.find((x) => x.name === 'summarize')!.description, 'Summarize the recent changes in this repository in three bullet points.');
  // The broken command is named with its line, the model name warned about; the rest loaded.
  const broken = c.problems.find((p) => p.file.endsWith('.claude/commands/broken.md'))!;
  assert.equal(broken.severity, 'error');
  assert.ok(broken.line! >= 2 && broken.line! <= 4, String(broken.line));
  assert.match(broken.message, /not valid YAML.*not loaded/);
  const model = c.problems.find((p) => p.file.endsWith('explain.prompt.md'))!;
  assert.equal(model.line, 4);
  assert.match(model.message, /model "GPT-4o" is not one Tiller is configured with/);
});

test('agents: Claude, VS Code agents and chat modes; tool lists narrow, unknown names reported', () => {
  const { root, home } = copy();
  const c = loadWorkflows({ workspaceRoot: root, tillerHome: home }, MODELS);
  assert.deepEqual(c.agents.map((a) => a.name), ['docs', 'planner', 'reviewer']);
  const reviewer = c.agents.find((a) => a.name === 'reviewer')!;
  assert.match(reviewer.prompt, /^You are a senior code reviewer/);
  assert.match(reviewer.description, /Expert code reviewer/);
  assert.deepEqual([...reviewer.tools!.names].sort(), ['workspace.find_files', 'workspace.read_file', 'workspace.search_text']);
  const planner = c.agents.find((a) => a.name === 'planner')!;
  assert.equal(planner.source, '.github/agents/planner.agent.md');
  assert.ok(!toolAllowed(planner.tools, 'shell.run_command') && toolAllowed(planner.tools, 'workspace.search_text'));
  assert.ok(c.problems.some((p) => p.file.endsWith('planner.agent.md') && /"fetch", "githubRepo", "usages" are not a tool/.test(p.message)));
  const docs = c.agents.find((a) => a.name === 'docs')!;
  assert.ok(toolAllowed(docs.tools, 'workspace.propose_edit') && !toolAllowed(docs.tools, 'shell.run_command'));
});

test('precedence user < .github/.claude < .tiller; the shadowed file is reported; built-ins win', () => {
  const { root, home } = copy();
  mkdirSync(join(home, 'commands'), { recursive: true });
  writeFileSync(join(home, 'commands', 'review.md'), 'My own review prompt.\n');
  writeFileSync(join(home, 'commands', 'mine.md'), 'Only mine.\n');
  writeFileSync(join(root, '.claude/commands/review.md'), 'The Claude review prompt.\n');
  writeFileSync(join(root, '.claude/commands/plan.md'), 'Not the built-in.\n');
  mkdirSync(join(home, 'agents'));
  writeFileSync(join(home, 'agents', 'reviewer.md'), '---\ndescription: mine\n---\nMy reviewer.\n');
  const c = loadWorkflows({ workspaceRoot: root, tillerHome: home }, MODELS);
  const review = c.commands.find((x) => x.name === 'review')!;
  assert.equal(review.source, '.tiller/commands/review.md');
  assert.equal(c.commands.find((x) => x.name === 'mine')!.source, '$TILLER_HOME/commands/mine.md');
  const shadowed = c.problems.filter((p) => /shadowed/.test(p.message)).map((p) => `${p.file.replace(root, 'W').replace(home, 'H')}: ${p.message}`);
  assert.ok(shadowed.some((s) => s.startsWith('H/commands/review.md') && s.includes('.claude/commands/review.md')), shadowed.join('\n'));
  assert.ok(shadowed.some((s) => s.startsWith('W/.claude/commands/review.md') && s.includes('.tiller/commands/review.md')), shadowed.join('\n'));
  assert.ok(shadowed.some((s) => s.startsWith('W/.claude/commands/plan.md') && s.includes("Tiller's built-in /plan")));
  assert.ok(!c.commands.some((x) => x.name === 'plan'));
  assert.equal(c.agents.find((a) => a.name === 'reviewer')!.source, '.claude/agents/reviewer.md');
  assert.ok(shadowed.some((s) => s.startsWith('H/agents/reviewer.md')));
});

test('a command file that links out of the workspace is refused, not read', () => {
  const { root, home } = copy();
  const secret = join(home, 'secret.md');
  writeFileSync(secret, 'TOP SECRET\n');
  symlinkSync(secret, join(root, '.claude/commands/leak.md'));
  const c = loadWorkflows({ workspaceRoot: root, tillerHome: home }, MODELS);
  assert.ok(!c.commands.some((x) => x.name === 'leak'));
  assert.ok(c.problems.some((p) => p.file.endsWith('leak.md') && /links outside/.test(p.message)));
});

test('skills: name and description listed; the body and files only through the library, inside the folder', () => {
  const { root, home } = copy();
  const c = loadWorkflows({ workspaceRoot: root, tillerHome: home }, MODELS);
  assert.deepEqual(c.skills.map((s) => [s.name, s.source]), [['changelog-check', '.github/skills/changelog-check/SKILL.md'], ['release-notes', '.claude/skills/release-notes/SKILL.md']]);
  const lib = skillLibrary(c.skills);
  assert.ok(!JSON.stringify(lib.list()).includes('HOUSE-STYLE-MARKER-7731'));
  const at = lib.locate('release-notes');
  assert.ok('path' in at);
  const body = lib.read(at.path);
  assert.ok('text' in body && body.text.includes('HOUSE-STYLE-MARKER-7731') && !body.text.includes('description:') && body.text.includes('template.md'));
  const tpl = lib.locate('release-notes', 'template.md');
  assert.ok('path' in tpl && 'text' in lib.read(tpl.path));
  assert.ok('error' in lib.locate('release-notes', '../../commands/fix-issue.md'));
  assert.ok('error' in lib.locate('nope'));
  const missing = lib.locate('release-notes', 'nothing.md');
  assert.ok('path' in missing && 'error' in lib.read(missing.path));
});

test('prepareTask: expansion, the command\'s agent, --agent, inputs, built-ins', async () => {
  const { root, home } = copy();
  const c = loadWorkflows({ workspaceRoot: root, tillerHome: home }, MODELS);
  const fix = await prepareTask('/fix-issue 42', c);
  assert.match(fix.task, /^Find and fix issue #42\./);
  assert.deepEqual(fix.command, { name: 'fix-issue', source: '.claude/commands/fix-issue.md', origin: 'project' });
  const review = await prepareTask('/review src/', c);
  assert.equal(review.agent?.name, 'reviewer');
  assert.equal((await prepareTask('/frontend:test Button --ci', c)).task, 'Run the tests of the Button component with the flags --ci and report any failure.');
  assert.deepEqual(await prepareTask('/nothing here', c), { task: '/nothing here', notices: [] });
  assert.equal((await prepareTask('hello', c, { agent: 'docs' })).agent?.name, 'docs');
  await assert.rejects(prepareTask('hello', c, { agent: 'ghost' }), /no agent "ghost"; the agents are: docs, planner, reviewer/);
  await assert.rejects(prepareTask('/explain', c), /needs \$\{input:symbol\}: give --input symbol=VALUE/);
  assert.match((await prepareTask('/explain', c, { inputs: { symbol: 'parse' } })).task, /^Explain parse in plain words/);
  const asked: string[] = [];
  const viaBox = await prepareTask('/explain', c, { askInput: async (i) => (asked.push(`${i.name}:${i.placeholder}`), 'split') });
  assert.deepEqual(asked, ['symbol:the function name']);
  assert.match(viaBox.task, /^Explain split/);
  await assert.rejects(prepareTask('/explain', c, { askInput: async () => undefined }), /not run: no value was given/);
  assert.deepEqual(await prepareTask('/plan add a flag', c), { task: 'add a flag', mode: 'plan', notices: [] });
  await assert.rejects(prepareTask('/cost', c), /chat command/);
});
