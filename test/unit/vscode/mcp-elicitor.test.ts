import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vscodeElicitor } from '../../../extension/vscode/mcp-elicitor.js';

/** A stand-in for vscode.window that answers from a queue and records what it was shown. */
function fakeWindow(answers: unknown[]) {
  const shown: string[] = [];
  const next = async () => answers.shift();
  return {
    shown,
    window: {
      showInformationMessage: async (message: string, options: { detail?: string }) => {
        shown.push(`${message} | ${options.detail ?? ''}`);
        return next();
      },
      showInputBox: async (options: { title?: string; value?: string; validateInput?: (t: string) => string | undefined }) => {
        const answer = (await next()) as string | undefined;
        shown.push(`input ${options.title} [${options.value}] ${answer !== undefined ? (options.validateInput?.(answer) ?? 'valid') : ''}`);
        return answer;
      },
      showQuickPick: async (items: string[], options: { title?: string }) => {
        shown.push(`pick ${options.title}: ${items.join('/')}`);
        return next();
      },
    } as never,
  };
}

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name' },
    count: { type: 'integer', default: 3 },
    colour: { type: 'string', enum: ['red', 'blue'] },
    ok: { type: 'boolean' },
  },
  required: ['name'],
};

test('a form is filled field by field with typed values; defaults are prefilled; control characters never reach the UI', async () => {
  const f = fakeWindow(['Fill In', 'Ada', '7', 'blue', 'No']);
  const answer = await vscodeElicitor(f.window).elicit({ server: 'srv\u001b[31m', message: 'Who are you?\u0007', requestedSchema: schema });
  assert.deepEqual(answer, { action: 'accept', content: { name: 'Ada', count: 7, colour: 'blue', ok: false } });
  assert.ok(f.shown.some((s) => s.includes('[3]')), 'the default is prefilled');
  const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 && c !== '\n');
  assert.ok(!f.shown.some(hasControl));
});

test('declining, escaping the first question, or escaping a field say so', async () => {
  assert.deepEqual(await vscodeElicitor(fakeWindow(['Decline']).window).elicit({ server: 's', message: 'm', requestedSchema: schema }), { action: 'decline' });
  assert.deepEqual(await vscodeElicitor(fakeWindow([undefined]).window).elicit({ server: 's', message: 'm', requestedSchema: schema }), { action: 'cancel' });
  assert.deepEqual(await vscodeElicitor(fakeWindow(['Fill In', undefined]).window).elicit({ server: 's', message: 'm', requestedSchema: schema }), { action: 'cancel' });
});

test('an answer that does not fit its field is refused in the input box', async () => {
  const f = fakeWindow(['Fill In', 'Ada', '2.5']);
  await vscodeElicitor(f.window).elicit({ server: 's', message: 'm', requestedSchema: schema });
  assert.ok(f.shown.some((s) => /count.*whole number/.test(s)), f.shown.join('\n'));
});
