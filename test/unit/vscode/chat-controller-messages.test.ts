import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../../extension/protocol/messages.js';
import { parseHostMessage, parseWebviewMessage } from '../../../extension/protocol/messages.js';
import { ChatController, type ChatControllerDeps } from '../../../extension/vscode/chat-controller.js';
import { SessionStore } from '../../../extension/vscode/chat-sessions.js';
import type { TillerConfig } from '../../../extension/vscode/config.js';

const config = {
  model: { baseUrl: 'http://x/v1', largeModel: 'big' },
  maxSteps: 50,
  maxCostUsd: 1,
  userRules: {},
  problems: [],
} as unknown as TillerConfig;

function setup(over: Partial<ChatControllerDeps> = {}) {
  const posted: HostMessage[] = [];
  const calls: string[] = [];
  const data = new Map<string, unknown>();
  const sessions = new SessionStore({ get: <T>(k: string) => data.get(k) as T, update: async (k, v) => void data.set(k, v) });
  const controller = new ChatController({
    post: (m) => posted.push(m),
    runner: {
      runningRequestId: undefined,
      run: async (request, post) => {
        post({ type: 'event', requestId: request.requestId, event: { type: 'text', delta: 'hello' } });
        post({ type: 'outcome', requestId: request.requestId, status: 'done', summary: 'hello', totals: { steps: 1, modelCalls: 1, promptTokens: 1, completionTokens: 1, cachedPromptTokens: 0, costUsd: 0, toolCalls: 0, durationMs: 1 } });
      },
      stop: () => true,
    },
    loadConfig: async () => config,
    isTrusted: () => true,
    executeCommand: async (c) => calls.push(c),
    log: { info() {}, warn: (m) => calls.push(`warn ${m}`), error() {} },
    sessions,
    ...over,
  });
  return { controller, posted, calls, sessions };
}

/** Every message the controller posts must pass the webview's own validation. */
function allValid(posted: HostMessage[]): void {
  for (const m of posted) assert.equal(parseHostMessage(m).ok, true, JSON.stringify(m));
}

test('a task is recorded as a session; ready sends the history with its transcript and any waiting card', async () => {
  const waiting = [{ approvalId: 'a1', view: { kind: 'plan' as const, plan: '1. x' } }];
  const { controller, posted } = setup({ approvals: { answer: () => undefined, waiting: () => waiting } });
  await controller.handle({ type: 'runTask', requestId: 'r1', task: 'Say hello\nplease', mode: 'act' });
  posted.length = 0;
  await controller.handle({ type: 'ready' });
  allValid(posted);
  const sessions = posted.find((m) => m.type === 'sessions');
  assert.ok(sessions && sessions.type === 'sessions');
  assert.deepEqual(sessions.sessions.map((s) => s.title), ['Say hello']);
  assert.deepEqual(sessions.transcript?.map((e) => e.kind), ['task', 'assistant', 'outcome']);
  assert.deepEqual(posted.find((m) => m.type === 'approval'), { type: 'approval', ...waiting[0] });
});

test('approval answers go to the approver; one it refuses is logged', async () => {
  const got: string[] = [];
  const { controller, calls } = setup({
    approvals: {
      answer: (id, a) => {
        got.push(`${id} ${a.kind}`);
        return a.kind === 'always' ? 'the rule is not the one the card offered' : undefined;
      },
      waiting: () => [],
    },
  });
  await controller.handle({ type: 'approvalAnswer', approvalId: 'c1', answer: { kind: 'once' } });
  await controller.handle({ type: 'approvalAnswer', approvalId: 'c1', answer: { kind: 'always', rule: 'shell(*)' } });
  assert.deepEqual(got, ['c1 once', 'c1 always']);
  assert.ok(calls.some((c) => c.includes('not the one the card offered')));
});

test('setup: test reports the result, save stores and re-sends the state, a failed save says why', async () => {
  const saved: unknown[] = [];
  let fail = false;
  const { controller, posted } = setup({
    setup: {
      test: async (url, key) => (key === 'bad' ? { ok: false, problem: 'unauthorized', message: `${url}/models answered 401` } : { ok: true, models: ['m1'] }),
      save: async (input) => {
        if (fail) throw new Error('the endpoint has no model named "m9"');
        saved.push(input);
      },
      hasKey: async () => true,
    },
  });
  await controller.handle({ type: 'setupTest', requestId: 't1', baseUrl: 'http://h/v1', apiKey: 'bad' });
  await controller.handle({ type: 'setupTest', requestId: 't2', baseUrl: 'http://h/v1', apiKey: '' });
  await controller.handle({ type: 'setupSave', requestId: 's1', baseUrl: 'http://h/v1', apiKey: '', model: 'm1', smallModel: '' });
  fail = true;
  await controller.handle({ type: 'setupSave', requestId: 's2', baseUrl: 'http://h/v1', apiKey: 'k', model: 'm9', smallModel: '' });
  allValid(posted);
  assert.deepEqual(posted.filter((m) => m.type === 'setupResult').map((m) => m.type === 'setupResult' && m.result.ok), [false, true]);
  assert.deepEqual(saved, [{ baseUrl: 'http://h/v1', apiKey: undefined, model: 'm1', smallModel: undefined }]);
  assert.deepEqual(posted.filter((m) => m.type === 'setupSaved'), [
    { type: 'setupSaved', requestId: 's1' },
    { type: 'setupSaved', requestId: 's2', error: 'the endpoint has no model named "m9"' },
  ]);
  assert.deepEqual(posted.find((m) => m.type === 'state'), { type: 'state', configured: true, model: 'big', baseUrl: 'http://x/v1', hasKey: true });
});

test('mentions, code actions, trace and context queries are answered with typed messages', async () => {
  const inserted: string[] = [];
  const { controller, posted } = setup({
    mentions: async (q) => [{ value: `src/${q}.ts`, kind: 'file' }],
    insertCode: async (c) => void inserted.push(c),
    traceSteps: () => ({ steps: [{ agent: 'main', step: 1, promptTokens: 900, completionTokens: 10, costUsd: 0.001, latencyMs: 50, tools: [] }] }),
  });
  await controller.handle({ type: 'mentionQuery', requestId: 'q1', query: 'app' });
  await controller.handle({ type: 'insertCode', code: 'let x = 1;' });
  await controller.handle({ type: 'traceQuery', requestId: 'tr' });
  await controller.handle({ type: 'contextQuery', requestId: 'cx' });
  allValid(posted);
  assert.deepEqual(posted[0], { type: 'mentionResults', requestId: 'q1', items: [{ value: 'src/app.ts', kind: 'file' }] });
  assert.deepEqual(inserted, ['let x = 1;']);
  assert.equal(posted.find((m) => m.type === 'trace' && m.steps.length === 1) !== undefined, true);
  const context = posted.find((m) => m.type === 'context');
  assert.ok(context && context.type === 'context' && context.items[0]!.tokens === 900);
});

test('the protocol refuses answers and setup messages with the wrong shape', () => {
  assert.equal(parseWebviewMessage({ type: 'approvalAnswer', approvalId: 'a', answer: { kind: 'maybe' } }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'approvalAnswer', approvalId: 'a', answer: { kind: 'edit', files: [{ path: 'a', hunks: [-1] }], reason: '' } }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'approvalAnswer', approvalId: 'a', answer: { kind: 'plan', plan: '   ' } }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'setupSave', requestId: 's', baseUrl: 'http://x', apiKey: '', model: ' ', smallModel: '' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'insertCode', code: 'x'.repeat(1_000_001) }).ok, false);
  assert.equal(parseHostMessage({ type: 'approval', approvalId: 'a', view: { kind: 'shell', command: 'ls', cwd: '.' } }).ok, false);
});

test('the context inspector shows the harness inspection when there is one', async () => {
  const { controller, posted } = setup({
    contextInspection: () => ({ items: [{ kind: 'rules', label: 'AGENTS.md', tokens: 120, reason: 'project rules' }], totalTokens: 1200, budget: 100000 }),
  });
  await controller.handle({ type: 'contextQuery', requestId: 'cx' });
  allValid(posted);
  assert.deepEqual(posted[0], { type: 'context', requestId: 'cx', items: [{ label: 'rules: AGENTS.md', tokens: 120, reason: 'project rules' }], note: '1,200 of 100,000 prompt tokens used.' });
});
