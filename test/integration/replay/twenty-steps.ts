// A recorded-session fixture: twenty coordinator steps that touch every part replay compares — reads and searches,
// an explorer subagent, an edit declined with a reason and one approved, commands, a denied read, a question to the
// user, a new file — and end with an answer. Used by the replay test and by test/replays/record.ts.
import type { ApprovalDecision, ApprovalRequest } from '../../../extension/core/ports.js';
import type { ScriptedReply } from '../../fixtures/model-server.js';

const call = (name: string, args: unknown) => ({ name, arguments: args });
const step = (name: string, args: unknown): ScriptedReply => ({ toolCalls: [call(name, args)] });

export const TWENTY_STEP_FILES: Record<string, string> = {
  'src/math.js': 'function add(a, b) {\n  return a - b;\n}\nmodule.exports = { add };\n',
  'src/index.js': "const { add } = require('./math.js');\nconsole.log(add(2, 3));\n",
  'README.md': '# demo\n\nadd numbers.\n',
  '.env': 'TOKEN=do-not-read-me\n',
};

export const TWENTY_STEP_TASK = 'Fix add() in src/math.js, add a subtract() with a test, and update the README.';

export const TWENTY_STEP_SCRIPT: ScriptedReply[] = [
  step('workspace__list_dir', { path: '.' }), // 1
  step('workspace__read_file', { path: 'src/math.js' }), // 2
  step('workspace__search_text', { query: 'add(' }), // 3
  step('explore', { question: 'Where is add() used?' }), // 4: the explorer's two calls follow
  step('workspace__search_text', { query: 'require(' }), // explorer 1
  { text: 'add() is used in src/index.js line 2.' }, // explorer 2
  step('workspace__read_file', { path: 'src/index.js' }), // 5
  step('workspace__propose_edit', { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] }), // 6: declined
  step('workspace__propose_edit', { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b; // the sum' }] }), // 7
  step('shell__run_command', { command: 'node src/index.js' }), // 8
  step('workspace__read_file', { path: '.env' }), // 9: denied by the rules
  step('ask_user', { question: 'Should subtract() take two arguments?' }), // 10
  step('workspace__propose_edit', {
    path: 'src/math.js',
    edits: [{ search: 'module.exports = { add };', replace: 'function subtract(a, b) {\n  return a - b;\n}\nmodule.exports = { add, subtract };' }],
  }), // 11
  step('workspace__read_file', { path: 'src/math.js' }), // 12
  step('workspace__find_files', { pattern: '**/*.js' }), // 13
  step('workspace__propose_edit', {
    path: 'test/math.test.js',
    content: "const assert = require('node:assert');\nconst { add, subtract } = require('../src/math.js');\nassert.equal(add(2, 3), 5);\nassert.equal(subtract(5, 3), 2);\nconsole.log('ok');\n",
  }), // 14
  step('shell__run_command', { command: 'node test/math.test.js' }), // 15
  step('workspace__search_text', { query: 'subtract' }), // 16
  step('workspace__read_file', { path: 'README.md' }), // 17
  step('workspace__propose_edit', { path: 'README.md', edits: [{ search: 'add numbers.', replace: 'add and subtract numbers.' }] }), // 18
  step('shell__run_command', { command: 'ls src test' }), // 19
  { text: 'Fixed add(), added subtract() with test/math.test.js (prints ok), and updated the README.' }, // 20
];

/** The user declines the first edit with a reason, and approves everything after it. */
export function twentyStepApprove(request: ApprovalRequest): ApprovalDecision {
  if (request.kind === 'edit' && request.changeSet.files[0]?.path === 'src/math.js' && request.changeSet.files[0].diff.includes('+  return a + b;\n')) {
    return { approved: false, reason: 'keep a comment that says it is the sum' };
  }
  return { approved: true };
}

export const twentyStepAnswer = (): string => 'yes, two numbers';
