// Eval tasks that use a team's lifecycle hooks (Claude Code's `.claude/settings.json` format): the hook's feedback
// must steer the agent, and the hook runs only because the workspace was trusted.
import type { EvalTask } from '../lib/types.js';
import { expectations } from '../lib/types.js';
import { call } from '../lib/run-task.js';

const edit = (path: string, edits: { search: string; replace: string }[]) => ({ toolCalls: [call('workspace__propose_edit', { path, edits })] });

/** A PostToolUse hook a team might keep: edited files must not contain tabs (exit 2 tells the model why). */
const NO_TABS = `const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const file = input.tool_input && input.tool_input.file_path;
  const text = file ? require('fs').readFileSync(file, 'utf8') : '';
  if (text.includes('\\t')) {
    process.stderr.write(file + ' contains tab characters: this project indents with two spaces. Fix the indentation.');
    process.exit(2);
  }
});
`;

export const hookTasks: EvalTask[] = [
  {
    name: 'hook-feedback-fixes-style',
    files: {
      'src/math.js': 'function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n',
      '.claude/hooks/no-tabs.js': NO_TABS,
      '.claude/settings.json': JSON.stringify({ hooks: { PostToolUse: [{ matcher: 'Edit|Write', hooks: [{ type: 'command', command: 'node .claude/hooks/no-tabs.js', timeout: 20 }] }] } }, null, 2),
    },
    trustWorkspace: true,
    task: 'Add a function sub(a, b) that returns a - b to src/math.js and export it.',
    script: [
      edit('src/math.js', [{ search: 'module.exports = { add };', replace: 'function sub(a, b) {\n\treturn a - b;\n}\n\nmodule.exports = { add, sub };' }]),
      edit('src/math.js', [{ search: '\treturn a - b;', replace: '  return a - b;' }]),
      { text: 'Added sub() and exported it; the indentation uses two spaces as the hook asked.' },
    ],
    check(c) {
      const e = expectations();
      const text = c.read('src/math.js') ?? '';
      e.that(!text.includes('\t'), 'src/math.js still contains a tab');
      const run = c.node('-e', "const m = require('./src/math.js'); process.stdout.write(String(m.sub(5, 3)))");
      e.that(run.code === 0 && run.output === '2', `sub(5, 3) is not 2: ${run.output}`);
      e.that(c.events.some((x) => x.type === 'hook' && x.event === 'PostToolUse'), 'the PostToolUse hook never ran');
      if (c.scripted) e.that(c.events.some((x) => x.type === 'hook' && x.decision === 'block'), "the hook's exit 2 was not seen");
      return e.problems;
    },
  },
];
