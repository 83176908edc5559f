// Eval tasks about how the agent works: the explorer, plan mode, budgets, questions, loops, bad tool calls, answers.
import type { EvalTask } from '../lib/types.js';
import { expectations, toolCalls } from '../lib/types.js';
import { call } from '../lib/run-task.js';

const read = (path: string) => ({ toolCalls: [call('workspace__read_file', { path })] });
const edit = (path: string, edits: { search: string; replace: string }[]) => ({ toolCalls: [call('workspace__propose_edit', { path, edits })] });
const write = (path: string, content: string) => ({ toolCalls: [call('workspace__propose_edit', { path, content })] });
const answer = (text: string) => ({ text });
const modelCalls = (c: { events: { type: string }[] }) => c.events.filter((e) => e.type === 'model_call').length;

export const agentTasks: EvalTask[] = [
  {
    name: 'use-the-explorer',
    files: {
      'src/net/client.js': "const { retryLimit } = require('../settings.js');\nmodule.exports = { retryLimit };\n",
      'src/settings.js': 'module.exports = { retryLimit: 3, timeoutMs: 1000 };\n',
    },
    task: 'Find where the retry limit is configured (use the explorer to look) and raise it to 5.',
    script: [
      { toolCalls: [call('explore', { question: 'Where is the retry limit configured?' })] },
      { toolCalls: [call('workspace__search_text', { query: 'retryLimit' })] }, // the explorer
      answer('It is set in src/settings.js line 1 (retryLimit: 3); src/net/client.js reads it.'), // the explorer's report
      edit('src/settings.js', [{ search: 'retryLimit: 3', replace: 'retryLimit: 5' }]),
      answer('Raised retryLimit to 5 in src/settings.js.'),
    ],
    check(c) {
      const e = expectations();
      e.that(c.read('src/settings.js')?.includes('retryLimit: 5'), 'retryLimit is not 5');
      if (c.scripted) e.that(c.events.some((x) => x.type === 'subagent' && x.status === 'done'), 'no explorer finished');
      return e.problems;
    },
  },
  {
    name: 'plan-then-act',
    mode: 'plan',
    files: { 'src/todo.js': 'const items = [];\nfunction add(item) {\n  items.push(item);\n}\nmodule.exports = { add, items };\n' },
    task: 'Add a remove(item) function to src/todo.js that deletes the item from the list.',
    script: [
      read('src/todo.js'),
      answer('1. Add remove(item) to src/todo.js, splicing the item out of items.\n2. Export it.\n3. Check with node -e.'),
      edit('src/todo.js', [
        { search: 'module.exports = { add, items };', replace: 'function remove(item) {\n  const i = items.indexOf(item);\n  if (i >= 0) items.splice(i, 1);\n}\nmodule.exports = { add, remove, items };' },
      ]),
      answer('Added remove() as planned.'),
    ],
    check(c) {
      const e = expectations();
      const r = c.node('-e', "const t = require('./src/todo.js'); t.add('a'); t.add('b'); t.remove('a'); process.exit(t.items.join() === 'b' ? 0 : 1)");
      e.that(r.code === 0, `remove() is missing or wrong: ${r.output.slice(0, 200)}`);
      e.that(Boolean(c.outcome.plan), 'no plan was recorded');
      e.that(c.events.some((x) => x.type === 'approval' && x.kind === 'plan' && x.approved), 'the plan was not approved');
      return e.problems;
    },
  },
  {
    name: 'plan-declined-changes-nothing',
    mode: 'plan',
    files: { 'src/db.js': 'module.exports = { url: "sqlite://local" };\n' },
    approve: (r) => (r.kind === 'plan' ? { approved: false } : { approved: true }),
    task: 'Switch the database to postgres.',
    script: [read('src/db.js'), answer('1. Change the url in src/db.js to postgres://localhost/app.\n2. Check it loads.'), answer('unreachable')],
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'denied', `status ${c.outcome.status}, expected denied`);
      e.that(c.read('src/db.js') === 'module.exports = { url: "sqlite://local" };\n', 'src/db.js changed');
      e.that(!c.events.some((x) => x.type === 'edit'), 'an edit was attempted in plan mode');
      return e.problems;
    },
  },
  {
    name: 'step-budget-stop',
    files: { 'a/b/c/d.txt': 'deep\n' },
    budgets: { maxSteps: 3 },
    task: 'Map out the whole directory tree, one level at a time.',
    script: (_request, index) => ({ toolCalls: [call('workspace__list_dir', { path: '.', depth: (index % 5) + 1 })] }),
    check(c) {
      const e = expectations();
      e.that(modelCalls(c) <= 3, `${modelCalls(c)} model calls with a 3-step budget`);
      if (c.outcome.status !== 'done') e.that(c.outcome.status === 'budget_exhausted' && c.outcome.exhausted === 'steps', `status ${c.outcome.status} ${c.outcome.exhausted ?? ''}`);
      if (c.scripted) e.that(c.outcome.status === 'budget_exhausted', 'the scripted run should hit the budget');
      return e.problems;
    },
  },
  {
    name: 'token-budget-stop',
    files: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`notes/${i}.md`, `# note ${i}\n${'lorem ipsum dolor sit amet '.repeat(40)}\n`])),
    budgets: { maxTokens: 4000 },
    task: 'Read every note in notes/ and summarise them.',
    script: (_request, index) => (index < 6 ? read(`notes/${index}.md`) : answer('Summary: six notes of lorem ipsum.')),
    check(c) {
      const e = expectations();
      const used = c.outcome.totals.promptTokens + c.outcome.totals.completionTokens;
      e.that(used <= 4000, `${used} tokens used with a 4000-token budget`);
      if (c.scripted) e.that(c.outcome.status === 'budget_exhausted' && c.outcome.exhausted === 'tokens', `status ${c.outcome.status} ${c.outcome.exhausted ?? ''}`);
      return e.problems;
    },
  },
  {
    name: 'ask-the-user',
    files: { 'src/index.js': 'console.log(1);\n' },
    answer: () => 'tabs, please',
    task: 'Add an .editorconfig for this project. Ask me which indentation I prefer before you write it.',
    script: [{ toolCalls: [call('ask_user', { question: 'Tabs or spaces?' })] }, write('.editorconfig', 'root = true\n\n[*]\nindent_style = tab\n'), answer('Added .editorconfig with tabs.')],
    check(c) {
      const e = expectations();
      e.that(/indent_style\s*=\s*tab/.test(c.read('.editorconfig') ?? ''), '.editorconfig does not use tabs');
      e.that(c.events.some((x) => x.type === 'question' && x.answer === 'tabs, please'), 'the user was not asked');
      return e.problems;
    },
  },
  {
    name: 'loop-is-stopped',
    scriptedOnly: true,
    files: { 'a.txt': 'same\n' },
    task: 'Read a.txt until it changes.',
    script: () => read('a.txt'),
    check(c) {
      const e = expectations();
      e.that(c.outcome.status === 'failed' && c.outcome.errorKind === 'loop', `status ${c.outcome.status} ${c.outcome.errorKind ?? ''}, expected a loop stop`);
      e.that(c.events.some((x) => x.type === 'notice' && x.message.startsWith('repeated call refused')), 'repeats were not refused first');
      e.that(toolCalls(c.events, 'workspace.read_file').length <= 3, 'the repeated read ran too often');
      return e.problems;
    },
  },
  {
    name: 'bad-tool-calls-recovered',
    scriptedOnly: true,
    files: { 'src/name.js': "exports.name = 'old';\n" },
    task: "Change the name in src/name.js to 'new'.",
    script: [
      { toolCalls: [call('workspace__read_fil', { path: 'src/name.js' })] },
      { toolCalls: [call('workspace__read_file', { path: 5 })] },
      { toolCalls: [call('workspace__read_file', '{"path": "src/name.js"')] },
      read('src/name.js'),
      edit('src/name.js', [{ search: "'old'", replace: "'new'" }]),
      answer('Renamed.'),
    ],
    check(c) {
      const e = expectations();
      e.that(c.read('src/name.js') === "exports.name = 'new';\n", 'src/name.js was not changed');
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      // The three malformed calls never reached a tool.
      e.that(toolCalls(c.events, 'workspace.read_file').length === 1, 'a malformed call ran');
      return e.problems;
    },
  },
  {
    name: 'answer-without-changes',
    files: {
      'src/dates/parse.js': 'function parseDate(s) {\n  return new Date(s);\n}\nmodule.exports = { parseDate };\n',
      'src/dates/format.js': 'function formatDate(d) {\n  return d.toISOString();\n}\nmodule.exports = { formatDate };\n',
    },
    task: 'Which file defines the function parseDate? Answer with its path; do not change anything.',
    script: [{ toolCalls: [call('workspace__search_text', { query: 'function parseDate' })] }, answer('parseDate is defined in src/dates/parse.js.')],
    check(c) {
      const e = expectations();
      e.that(c.outcome.summary.includes('src/dates/parse.js'), `the answer does not name the file: ${c.outcome.summary.slice(0, 120)}`);
      e.that(c.outcome.filesChanged.length === 0, `files changed: ${c.outcome.filesChanged.join(', ')}`);
      return e.problems;
    },
  },
];
