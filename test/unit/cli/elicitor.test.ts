// The CLI's answers to MCP forms: field by field with --approve ask, declined otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decliningElicitor, terminalElicitor } from '../../../extension/cli/elicitor.js';
import { parseFieldAnswer } from '../../../extension/core/tools/protocol/elicitation-fields.js';

function scripted(lines: (string | undefined)[]) {
  const prompts: string[] = [];
  return { prompts, prompt: async (text: string) => (prompts.push(text), lines.shift()) };
}

const request = {
  server: 'jira',
  message: 'Create the ticket?',
  requestedSchema: {
    type: 'object',
    properties: {
      priority: { type: 'string', enum: ['low', 'high'], default: 'low' },
      points: { type: 'integer', description: 'Story points' },
      urgent: { type: 'boolean' },
    },
    required: ['points'],
  },
};

test('ask mode collects each field, by option number, retrying a bad entry; Enter keeps the default', async () => {
  const io = scripted(['y', '', 'many', '3', 'yes']);
  let written = '';
  const answer = await terminalElicitor(io.prompt, (t) => (written += t)).elicit(request);
  assert.deepEqual(answer, { action: 'accept', content: { points: 3, urgent: true } });
  assert.match(written, /The MCP server jira asks: Create the ticket\?/);
  assert.match(written, /enter a whole number/);
  assert.match(io.prompts[1] ?? '', /options: 1\) low, 2\) high; default "low"/);
});

test('no, cancel and end of input', async () => {
  assert.deepEqual(await terminalElicitor(scripted(['n']).prompt, () => undefined).elicit(request), { action: 'decline' });
  assert.deepEqual(await terminalElicitor(scripted(['c']).prompt, () => undefined).elicit(request), { action: 'cancel' });
  assert.deepEqual(await terminalElicitor(scripted(['y', '2', undefined]).prompt, () => undefined).elicit(request), { action: 'cancel' });
});

test('other modes decline and say so', async () => {
  const lines: string[] = [];
  assert.deepEqual(await decliningElicitor((l) => lines.push(l)).elicit(request), { action: 'decline' });
  assert.match(lines[0] ?? '', /declined/);
});

test('field parsing', () => {
  const field = (type: string, options?: string[]) => ({ name: 'f', type, required: true, ...(options ? { options } : {}) });
  assert.deepEqual(parseFieldAnswer(field('number'), '2.5'), { value: 2.5 });
  assert.ok('error' in parseFieldAnswer(field('integer'), '2.5'));
  assert.deepEqual(parseFieldAnswer(field('string', ['a', 'b']), '2'), { value: 'b' });
  assert.ok('error' in parseFieldAnswer(field('string', ['a', 'b']), 'c'));
  assert.deepEqual(parseFieldAnswer(field('array', ['x', 'y']), 'x, 2'), { value: ['x', 'y'] });
  assert.ok('error' in parseFieldAnswer(field('boolean'), 'maybe'));
});

test('server text reaches the terminal without escape sequences', async () => {
  let written = '';
  const io = scripted(['y', '1']);
  const answer = await terminalElicitor(io.prompt, (t) => (written += t)).elicit({
    server: 'evil',
    message: 'hi\u001b]0;pwned\u0007 there',
    requestedSchema: { type: 'object', properties: { pick: { type: 'string', title: 'P\u001b[2J', enum: ['a\u202eb'] } }, required: ['pick'] },
  });
  assert.deepEqual(answer, { action: 'accept', content: { pick: 'a\u202eb' } });
  const shown = written + io.prompts.join('');
  for (const bad of ['\u001b', '\u0007', '\u202e']) assert.ok(!shown.includes(bad), `${JSON.stringify(bad)} reached the terminal`);
});
