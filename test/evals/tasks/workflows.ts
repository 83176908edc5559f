// Eval tasks that use a team's own workflow files: a Claude Code slash command and a custom agent.
import type { EvalTask } from '../lib/types.js';
import { expectations, toolCalls } from '../lib/types.js';
import { call } from '../lib/run-task.js';

export const workflowTasks: EvalTask[] = [
  {
    name: 'slash-command-fix-bug',
    files: {
      '.claude/commands/fix-bug.md': '---\ndescription: Fix one bug from BUGS.md\nargument-hint: [bug-number]\nallowed-tools: Read, Grep, Edit\n---\nFix bug #$1 as described in BUGS.md. Change only what the bug needs and keep the style of the file.\n',
      'BUGS.md': '# Known bugs\n1. README typo.\n2. `total()` in src/cart.js ignores the quantity of each line.\n',
      'src/cart.js': 'function total(lines) {\n  return lines.reduce((sum, l) => sum + l.price, 0);\n}\nmodule.exports = { total };\n',
    },
    task: '/fix-bug 2',
    script: [
      { toolCalls: [call('workspace__read_file', { path: 'BUGS.md' })] },
      { toolCalls: [call('workspace__read_file', { path: 'src/cart.js' })] },
      { toolCalls: [call('workspace__propose_edit', { path: 'src/cart.js', edits: [{ search: 'sum + l.price', replace: 'sum + l.price * l.qty' }] })] },
      { text: 'Fixed bug #2: total() now multiplies each price by its quantity.' },
    ],
    check(c) {
      const e = expectations();
      const r = c.node('-e', "const { total } = require('./src/cart.js'); process.exit(total([{ price: 2, qty: 3 }, { price: 1, qty: 1 }]) === 7 ? 0 : 1)");
      e.that(r.code === 0, `total() still ignores quantities: ${r.output.slice(0, 200)}`);
      e.that(c.outcome.status === 'done', `status ${c.outcome.status}`);
      if (c.scripted) e.that(c.events.some((x) => x.type === 'session_start' && typeof x.task === 'string' && x.task.startsWith('Fix bug #2 as described in BUGS.md')), 'the task was not the expanded command');
      return e.problems;
    },
  },
  {
    name: 'custom-agent-reviewer',
    agent: 'reviewer',
    files: {
      '.claude/agents/reviewer.md': '---\nname: reviewer\ndescription: Reviews code and reports problems; never edits.\ntools: Read, Grep, Glob\n---\nYou are a code reviewer. Read the code, report problems by severity, and never change a file.\n',
      'src/auth.js': "function check(user, pass) {\n  return user === 'admin' || pass.length > 0;\n}\nmodule.exports = { check };\n",
    },
    task: 'Review src/auth.js.',
    scriptedOnly: true,
    script: [
      // A reviewer that tries to run a command: not among its tools, so not offered and refused by the gate.
      { toolCalls: [call('shell__run_command', { command: 'node -e "require(\'fs\').writeFileSync(\'ran.txt\', \'x\')"' })] },
      { toolCalls: [call('workspace__read_file', { path: 'src/auth.js' })] },
      { text: "Critical: check() lets any user in with a non-empty password, and 'admin' in with none. Use &&, and compare against stored hashes." },
    ],
    check(c) {
      const e = expectations();
      e.that(c.read('ran.txt') === undefined, 'the reviewer ran a command outside its tool list');
      e.that(c.read('src/auth.js')?.includes("user === 'admin' || pass.length > 0"), 'the reviewer changed the file');
      e.that(toolCalls(c.events, 'workspace.read_file').length >= 1, 'the reviewer did not read the file');
      e.that(/critical/i.test(c.outcome.summary), 'no review in the answer');
      return e.problems;
    },
  },
];
