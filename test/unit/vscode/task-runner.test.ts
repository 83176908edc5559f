import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HarnessOptions, RunOptions, TaskOutcome } from '../../../extension/core/agent/types.js';
import type { Approver } from '../../../extension/core/ports.js';
import type { HostMessage } from '../../../extension/protocol/messages.js';
import { parseHostMessage } from '../../../extension/protocol/messages.js';
import type { TillerConfig } from '../../../extension/vscode/config.js';
import { TaskRunner, UNTRUSTED_MESSAGE, type HarnessLike, type TaskRunnerDeps } from '../../../extension/vscode/task-runner.js';

const approver: Approver = { approve: async () => ({ approved: false }), askUser: async () => undefined };
const config: TillerConfig = {
  model: { baseUrl: 'http://127.0.0.1:1/v1', largeModel: 'm', apiKey: 'k' },
  maxSteps: 7,
  maxCostUsd: 0.5,
  userRules: { deny: ['shell(rm *)'] },
  problems: [],
};

function outcome(status: TaskOutcome['status'], summary = 'ok'): TaskOutcome {
  return {
    status,
    summary,
    totals: { steps: 1, modelCalls: 1, promptTokens: 10, completionTokens: 5, cachedPromptTokens: 0, costUsd: 0, toolCalls: 0, durationMs: 3 },
    filesChanged: [],
  };
}

/** A harness that emits a few events, or waits for the abort signal when `untilAborted` is set. */
function fakeHarness(log: string[], behaviour: { untilAborted?: boolean; warnings?: string[] } = {}) {
  const created: HarnessOptions[] = [];
  const runs: RunOptions[] = [];
  let started: () => void = () => {};
  const running = new Promise<void>((resolve) => (started = resolve));
  const create = async (options: HarnessOptions): Promise<HarnessLike> => {
    created.push(options);
    return {
      tracePath: '/traces/t1.jsonl',
      warnings: behaviour.warnings ?? [],
      async run(task, opts = {}) {
        runs.push(opts);
        log.push(`run ${task}`);
        opts.onEvent?.({ type: 'step', step: 1 });
        opts.onEvent?.({ type: 'text', delta: 'hello' });
        opts.onEvent?.({ type: 'tool_call', id: 'c', tool: 'workspace.read', args: { path: 'a' } });
        if (behaviour.untilAborted) {
          started();
          await new Promise<void>((resolve) => opts.signal?.addEventListener('abort', () => resolve(), { once: true }));
          return outcome('cancelled', 'stopped by the user');
        }
        const o = outcome('done', 'all good');
        opts.onEvent?.({ type: 'outcome', outcome: o });
        return o;
      },
      async close() {
        log.push('close');
      },
    };
  };
  return { create, created, runs, running };
}

function deps(overrides: Partial<TaskRunnerDeps>, create: TaskRunnerDeps['createHarness']): TaskRunnerDeps {
  return {
    isTrusted: () => true,
    workspaceRoot: () => '/w',
    loadConfig: async () => config,
    createHarness: create,
    approver,
    distDir: '/ext/dist',
    ripgrepPath: () => '/app/rg',
    log: { info() {}, warn() {}, error() {} },
    ...overrides,
  };
}

test('a task streams its events, then one outcome, and closes the harness', async () => {
  const log: string[] = [];
  const h = fakeHarness(log, { warnings: ['.tiller/permissions.json: bad'] });
  const runner = new TaskRunner(deps({}, h.create));
  const posted: HostMessage[] = [];
  await runner.run({ requestId: 'r1', task: 'fix it', mode: 'act' }, (m) => posted.push(m));

  assert.deepEqual(log, ['run fix it', 'close']);
  assert.equal(h.created[0]?.workspaceRoot, '/w');
  assert.equal(h.created[0]?.distDir, '/ext/dist');
  assert.equal(h.created[0]?.ripgrepPath, '/app/rg');
  // The task's approver is the given one, counted (for "nothing changed"): it answers as the given one does.
  assert.deepEqual(await h.created[0]?.approver.approve({ kind: 'plan', plan: 'p' }), { approved: false });
  assert.deepEqual(h.created[0]?.userRules, { deny: ['shell(rm *)'] });
  assert.equal(h.created[0]?.editApplier, undefined);
  assert.deepEqual(h.runs[0]?.budgets, { maxSteps: 7, maxCostUsd: 0.5 });
  assert.equal(h.runs[0]?.mode, 'act');

  assert.deepEqual(
    posted.map((m) => (m.type === 'event' ? `event:${m.event.type}` : m.type)),
    ['event:notice', 'event:step', 'event:text', 'event:tool_call', 'outcome'],
  );
  const last = posted.at(-1);
  assert.ok(last?.type === 'outcome' && last.status === 'done' && last.summary === 'all good');
  for (const m of posted) assert.equal(parseHostMessage(m).ok, true, `posted an invalid message: ${JSON.stringify(m)}`);
  assert.equal(runner.lastTracePath, '/traces/t1.jsonl');
  assert.equal(runner.runningRequestId, undefined);
});

test('an untrusted workspace runs nothing and says why', async () => {
  const log: string[] = [];
  const h = fakeHarness(log);
  const runner = new TaskRunner(deps({ isTrusted: () => false }, h.create));
  const posted: HostMessage[] = [];
  await runner.run({ requestId: 'r1', task: 't', mode: 'act' }, (m) => posted.push(m));
  assert.equal(h.created.length, 0, 'a harness was created in an untrusted workspace');
  assert.deepEqual(posted, [{ type: 'error', requestId: 'r1', message: UNTRUSTED_MESSAGE }]);
});

test('no folder, or missing settings, is an error before any harness exists', async () => {
  const h = fakeHarness([]);
  const posted: HostMessage[] = [];
  await new TaskRunner(deps({ workspaceRoot: () => undefined }, h.create)).run({ requestId: 'a', task: 't', mode: 'act' }, (m) => posted.push(m));
  await new TaskRunner(deps({ loadConfig: async () => ({ ...config, problems: ['Set tiller.model.'] }) }, h.create)).run(
    { requestId: 'b', task: 't', mode: 'act' },
    (m) => posted.push(m),
  );
  assert.equal(h.created.length, 0);
  assert.ok(posted[0]?.type === 'error' && /Open a folder/.test(posted[0].message));
  assert.ok(posted[1]?.type === 'error' && /Set tiller\.model/.test(posted[1].message) && posted[1].requestId === 'b');
});

test('a harness that fails to start becomes an error message for that request', async () => {
  const runner = new TaskRunner(
    deps({}, async () => {
      throw new Error('model config: baseUrl must be an http:// or https:// URL');
    }),
  );
  const posted: HostMessage[] = [];
  await runner.run({ requestId: 'r9', task: 't', mode: 'plan' }, (m) => posted.push(m));
  assert.deepEqual(posted, [{ type: 'error', requestId: 'r9', message: 'model config: baseUrl must be an http:// or https:// URL' }]);
  assert.equal(runner.runningRequestId, undefined);
});

test('stop aborts the running task; a second task is refused while one runs', async () => {
  const log: string[] = [];
  const h = fakeHarness(log, { untilAborted: true });
  const runner = new TaskRunner(deps({}, h.create));
  const posted: HostMessage[] = [];
  const first = runner.run({ requestId: 'r1', task: 'long', mode: 'act' }, (m) => posted.push(m));
  await h.running;
  assert.equal(runner.runningRequestId, 'r1');

  const refused: HostMessage[] = [];
  await runner.run({ requestId: 'r2', task: 'other', mode: 'act' }, (m) => refused.push(m));
  assert.ok(refused[0]?.type === 'error' && /already running/.test(refused[0].message));

  assert.equal(runner.stop('not-this-one'), false);
  assert.equal(runner.stop('r1'), true);
  await first;
  const last = posted.at(-1);
  assert.ok(last?.type === 'outcome' && last.status === 'cancelled');
  assert.deepEqual(log, ['run long', 'close']);
  assert.equal(runner.stop(), false);
});

test('the MCP resources a task saw are kept for @-mention completion after its harness closes', async () => {
  const h = fakeHarness([]);
  const create: TaskRunnerDeps['createHarness'] = async (options) => ({
    ...(await h.create(options)),
    listResources: async () => [{ server: 'docs', uri: 'doc://guide', name: 'Guide' }],
  });
  const runner = new TaskRunner(deps({}, create));
  await runner.run({ requestId: 'r', task: 't', mode: 'act' }, () => {});
  assert.deepEqual(runner.knownResources, [{ server: 'docs', uri: 'doc://guide', name: 'Guide' }]);
});

test("the project rules' consent prompt is handed to the harness (the same dialog as workspace MCP servers)", async () => {
  const h = fakeHarness([]);
  const asked: string[] = [];
  const askConsent: NonNullable<TaskRunnerDeps['askConsent']> = async (request) => (asked.push(request.origin), true);
  const runner = new TaskRunner(deps({ askConsent }, h.create));
  await runner.run({ requestId: 'r1', task: 't', mode: 'act' }, () => {});
  const consent = h.created[0]?.workspaceConsent;
  assert.ok(consent?.ask, 'the harness can ask');
  await consent.ask({ kind: 'project-rules', name: 'n', origin: '.tiller/permissions.json', workspace: '/w', wants: 'w', shown: [], question: 'q', agree: 'a' });
  assert.deepEqual(asked, ['.tiller/permissions.json']);
});
