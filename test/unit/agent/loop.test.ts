import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTask, type TaskDeps } from '../../../extension/core/agent/task.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import { summarizeTrace } from '../../../extension/core/trace/summary.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../helpers/fakes.js';
import type { ToolCallResult } from '../../../extension/core/tools/types.js';

const ok = (content: string, structured?: Record<string, unknown>): ToolCallResult => ({ content, isError: false, ...(structured ? { structured } : {}) });

function deps(over: Partial<TaskDeps> & Pick<TaskDeps, 'model'>): TaskDeps & { trace: ReturnType<typeof memoryTrace> } {
  return {
    host: fakeHost({ 'workspace.read_file': (a) => ok(`contents of ${String(a.path)}`) }),
    policy: tablePolicy([]),
    approver: recordingApprover([]),
    editApplier: recordingApplier(),
    trace: memoryTrace(),
    workspaceRoot: '/w',
    ...over,
  } as TaskDeps & { trace: ReturnType<typeof memoryTrace> };
}

test('a multi-step task reads, gets the observation back, and finishes with the model answer', async () => {
  const model = scriptedModel([
    { calls: [{ name: 'workspace__read_file', args: { path: 'a.txt' } }] },
    (req) => {
      const last = req.messages.at(-1)!;
      assert.equal(last.role, 'tool');
      assert.match((last as { content: string }).content, /contents of a\.txt/);
      return { text: 'all done' };
    },
  ]);
  const d = deps({ model });
  const outcome = await runTask(d, { task: 'read a' });
  assert.equal(outcome.status, 'done');
  assert.equal(outcome.summary, 'all done');
  assert.equal(outcome.totals.steps, 2);
  assert.equal(outcome.totals.promptTokens, 200);
  const types = d.trace.events.map((e) => e.type);
  assert.deepEqual(types, ['session_start', 'model_call', 'tool_call', 'policy', 'tool_result', 'model_call', 'session_end']);
});

test('invalid JSON arguments, schema violations and unknown tools go back to the model and never run', async () => {
  const host = fakeHost({ 'workspace.read_file': () => ok('x') });
  const model = scriptedModel([
    { calls: [{ name: 'workspace__read_file', args: '{"path": "a.txt"' }] },
    { calls: [{ name: 'workspace__read_file', args: { path: 42 } }] },
    { calls: [{ name: 'no_such_tool', args: {} }] },
    { text: 'gave up' },
  ]);
  const outcome = await runTask(deps({ model, host }), { task: 't' });
  assert.equal(outcome.status, 'done');
  assert.equal(host.calls.length, 0, 'no malformed call reached the host');
  const toolResults = model.requests.slice(1).map((r) => (r.messages.at(-1) as { content: string }).content);
  assert.match(toolResults[0]!, /not a valid JSON object/);
  assert.match(toolResults[1]!, /do not match its schema/);
  assert.match(toolResults[2]!, /no tool named `no_such_tool`/);
});

test('a deny rule answers the model without running the tool; ask goes to the approver', async () => {
  const host = fakeHost({ 'workspace.read_file': () => ok('secret!'), 'shell.run_command': () => ok('ran') });
  const policy = tablePolicy([
    { match: (a) => a.kind === 'read' && a.path === '.env', decision: 'deny' },
    { match: (a) => a.kind === 'shell', decision: 'ask' },
  ]);
  const approver = recordingApprover([{ approved: true }]);
  const model = scriptedModel([
    { calls: [{ name: 'workspace__read_file', args: { path: '.env' } }] },
    { calls: [{ name: 'shell__run_command', args: { command: 'npm test' } }] },
    { text: 'ok' },
  ]);
  const d = deps({ model, host, policy, approver });
  const outcome = await runTask(d, { task: 't' });
  assert.equal(outcome.status, 'done');
  assert.deepEqual(host.calls.map((c) => c.name), ['shell.run_command']);
  assert.equal(approver.requests.length, 1);
  assert.equal(approver.requests[0]!.kind, 'shell');
  assert.match((model.requests[1]!.messages.at(-1) as { content: string }).content, /Denied by the permission rules/);
  const decisions = d.trace.events.filter((e) => e.type === 'policy').map((e) => (e as { decision: string }).decision);
  assert.deepEqual(decisions, ['deny', 'ask']);
});

test('a declined approval without a reason stops the task as denied; with a reason the model hears it and goes on', async () => {
  const host = fakeHost({ 'shell.run_command': () => ok('ran') });
  const policy = tablePolicy([{ match: (a) => a.kind === 'shell', decision: 'ask' }]);
  const withReason = scriptedModel([{ calls: [{ name: 'shell__run_command', args: { command: 'rm -rf build' } }] }, { text: 'understood' }]);
  const a = await runTask(deps({ model: withReason, host, policy, approver: recordingApprover([{ approved: false, reason: 'use make clean' }]) }), { task: 't' });
  assert.equal(a.status, 'done');
  assert.match((withReason.requests[1]!.messages.at(-1) as { content: string }).content, /use make clean/);

  const bare = scriptedModel([{ calls: [{ name: 'shell__run_command', args: { command: 'rm -rf build' } }, { name: 'workspace__read_file', args: { path: 'x' } }] }]);
  const b = await runTask(deps({ model: bare, host, policy, approver: recordingApprover([{ approved: false }]) }), { task: 't' });
  assert.equal(b.status, 'denied');
  assert.equal(host.calls.length, 0);
});

test('an edit proposal is applied only after the write is approved, and the change set reaches the applier intact', async () => {
  const changeSet = { id: 'cs1', files: [{ path: 'src/a.ts', baseHash: 'abc', newContent: 'new', diff: '--- a\n+++ b\n-old\n+new' }] };
  const host = fakeHost({ 'workspace.propose_edit': () => ok('staged', { changeSet }) });
  const policy = tablePolicy([{ match: (a) => a.kind === 'write', decision: 'ask' }]);
  const approver = recordingApprover([{ approved: true }]);
  const applier = recordingApplier();
  const model = scriptedModel([{ calls: [{ name: 'workspace__propose_edit', args: { path: 'src/a.ts', content: 'new' } }] }, { text: 'edited' }]);
  const outcome = await runTask(deps({ model, host, policy, approver, editApplier: applier }), { task: 't' });
  assert.equal(outcome.status, 'done');
  assert.deepEqual(outcome.filesChanged, ['src/a.ts']);
  assert.equal(approver.requests[0]!.kind, 'edit');
  assert.deepEqual(applier.applied, [changeSet]);
});

test('a denied write leaves the applier untouched', async () => {
  const changeSet = { id: 'cs1', files: [{ path: '.git/config', baseHash: null, newContent: 'x', diff: '' }] };
  const host = fakeHost({ 'workspace.propose_edit': () => ok('staged', { changeSet }) });
  const policy = tablePolicy([{ match: (a) => a.kind === 'write', decision: 'deny' }]);
  const applier = recordingApplier();
  const model = scriptedModel([{ calls: [{ name: 'workspace__propose_edit', args: { path: '.git/config', content: 'x' } }] }, { text: 'fine' }]);
  await runTask(deps({ model, host, policy, editApplier: applier }), { task: 't' });
  assert.equal(applier.applied.length, 0);
});

test('the step budget stops the task before the call that would exceed it, with a summary of where it stands', async () => {
  const model = scriptedModel(Array.from({ length: 10 }, (_, i) => ({ calls: [{ name: 'workspace__read_file', args: { path: `f${i}` } }] })));
  const outcome = await runTask(deps({ model }), { task: 't', budgets: { maxSteps: 3 } });
  assert.equal(outcome.status, 'budget_exhausted');
  assert.equal(outcome.exhausted, 'steps');
  assert.equal(model.requests.length, 3);
  assert.match(outcome.summary, /step budget \(3 steps\)/);
  assert.match(outcome.summary, /Tool calls made: 3/);
});

test('the cost budget stops before a call that would cross it, even when the token estimate is low', async () => {
  const model = scriptedModel(Array.from({ length: 10 }, (_, i) => ({ calls: [{ name: 'workspace__read_file', args: { path: `f${i}` } }], cost: 0.4 })));
  const outcome = await runTask(deps({ model }), { task: 't', budgets: { maxCostUsd: 1 } });
  assert.equal(outcome.status, 'budget_exhausted');
  assert.equal(outcome.exhausted, 'cost');
  assert.equal(model.requests.length, 2, 'two calls at $0.40 fit in $1; a third, at least as costly as the last, would not');
  assert.ok(outcome.totals.costUsd <= 1);
});

test('repeated identical calls are refused, then the task stops as stuck', async () => {
  const host = fakeHost({ 'workspace.read_file': () => ok('same') });
  const model = scriptedModel(Array.from({ length: 8 }, () => ({ calls: [{ name: 'workspace__read_file', args: { path: 'a' } }] })));
  const outcome = await runTask(deps({ model, host }), { task: 't' });
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.errorKind, 'loop');
  assert.equal(host.calls.length, 2, 'the third and fourth identical calls are not executed');
  assert.match((model.requests[3]!.messages.at(-1) as { content: string }).content, /exact call 3 times/);
});

test('ask_user reaches the approver and the answer goes back to the model', async () => {
  const approver = recordingApprover([], ['use tabs']);
  const model = scriptedModel([{ calls: [{ name: 'ask_user', args: { question: 'tabs or spaces?' } }] }, { text: 'ok' }]);
  await runTask(deps({ model, approver }), { task: 't' });
  assert.deepEqual(approver.questions, ['tabs or spaces?']);
  assert.match((model.requests[1]!.messages.at(-1) as { content: string }).content, /The user answered: use tabs/);
});

test('an explorer subagent gets read-only tools and its own context; its cost counts toward the task', async () => {
  const model = scriptedModel([
    { calls: [{ name: 'explore', args: { question: 'where is auth?' } }], cost: 0.01 },
    (req) => {
      assert.equal(req.role, 'small');
      const names = (req.tools ?? []).map((t) => t.name);
      assert.ok(names.includes('workspace__read_file'));
      assert.ok(!names.includes('workspace__propose_edit') && !names.includes('shell__run_command') && !names.includes('explore'));
      assert.equal(req.messages.length, 2, 'fresh context: system + question only');
      return { calls: [{ name: 'workspace__read_file', args: { path: 'auth.ts' } }], cost: 0.002 };
    },
    { text: 'auth is in auth.ts', cost: 0.002 },
    (req) => {
      assert.match((req.messages.at(-1) as { content: string }).content, /Explorer report:\nauth is in auth.ts/);
      return { text: 'done', cost: 0.01 };
    },
  ]);
  const d = deps({ model });
  const outcome = await runTask(d, { task: 't' });
  assert.equal(outcome.status, 'done');
  assert.equal(outcome.totals.steps, 2, 'subagent calls are not coordinator steps');
  assert.ok(Math.abs(outcome.totals.costUsd - 0.024) < 1e-9);
  const summary = summarizeTrace(d.trace.events);
  assert.ok(Math.abs(summary.costUsd - 0.024) < 1e-9);
  assert.equal(summary.byAgent['explorer-1']!.modelCalls, 2);
});

test('plan mode offers read-only tools, asks for plan approval, then acts with the full tool set', async () => {
  const approver = recordingApprover([{ approved: true }]);
  const model = scriptedModel([
    (req) => {
      const names = (req.tools ?? []).map((t) => t.name);
      assert.ok(!names.includes('workspace__propose_edit'));
      return { text: '1. edit a.ts' };
    },
    (req) => {
      assert.ok((req.tools ?? []).some((t) => t.name === 'workspace__propose_edit'));
      assert.match((req.messages.at(-1) as { content: string }).content, /plan is approved/);
      return { text: 'done' };
    },
  ]);
  const outcome = await runTask(deps({ model, approver }), { task: 't', mode: 'plan' });
  assert.equal(outcome.status, 'done');
  assert.equal(outcome.plan, '1. edit a.ts');
  assert.equal(approver.requests[0]!.kind, 'plan');
});

test('cancellation stops the task as cancelled', async () => {
  const controller = new AbortController();
  const host = fakeHost({
    'workspace.read_file': () => {
      controller.abort();
      return ok('x');
    },
  });
  const model = scriptedModel([{ calls: [{ name: 'workspace__read_file', args: { path: 'a' } }] }, { text: 'never' }]);
  const outcome = await runTask(deps({ model, host }), { task: 't', signal: controller.signal });
  assert.equal(outcome.status, 'cancelled');
  assert.equal(model.requests.length, 1);
});

test('search results from files the read rules deny are filtered out before the model sees them', async () => {
  const host = fakeHost({ 'workspace.search_text': () => ok('src/a.ts:3: const key = env.KEY\n.env:1: KEY=sk-live-123') });
  const policy = tablePolicy([{ match: (a) => a.kind === 'read' && a.path === '.env', decision: 'deny' }]);
  const model = scriptedModel([{ calls: [{ name: 'workspace__search_text', args: { query: 'KEY' } }] }, { text: 'ok' }]);
  await runTask(deps({ model, host, policy }), { task: 't' });
  const seen = (model.requests[1]!.messages.at(-1) as { content: string }).content;
  assert.match(seen, /src\/a\.ts:3/);
  assert.doesNotMatch(seen, /sk-live/);
  // Changed with issue 12: the gate used to append "[1 line(s) omitted ...]", a count a model could use as an oracle.
  assert.doesNotMatch(seen, /omitted|\.env/);
});

test('a partly accepted edit applies only the accepted files, and the model hears what was rejected', async () => {
  const a = { path: 'a.ts', baseHash: 'h1', newContent: 'A', diff: '+A' };
  const b = { path: 'b.ts', baseHash: 'h2', newContent: 'B', diff: '+B' };
  const host = fakeHost({ 'workspace.propose_edit': () => ok('staged', { changeSet: { id: 'cs', files: [a, b] } }) });
  const policy = tablePolicy([{ match: (x) => x.kind === 'write', decision: 'ask' }]);
  const applier = recordingApplier();
  const approver = recordingApprover([{ approved: true, changeSet: { id: 'cs', files: [a] }, rejected: [{ path: 'b.ts', hunk: 0, reason: 'keep b as is' }] }]);
  const model = scriptedModel([{ calls: [{ name: 'workspace__propose_edit', args: { path: 'a.ts', content: 'A' } }] }, { text: 'ok' }]);
  const outcome = await runTask(deps({ model, host, policy, approver, editApplier: applier }), { task: 't' });
  assert.deepEqual(applier.applied.map((cs) => cs.files.map((f) => f.path)), [['a.ts']]);
  assert.deepEqual(outcome.filesChanged, ['a.ts']);
  assert.match((model.requests[1]!.messages.at(-1) as { content: string }).content, /rejected: b\.ts hunk 0 \(keep b as is\)/);
});

test('an accepted part that touches a file that was never proposed is refused whole', async () => {
  const a = { path: 'a.ts', baseHash: 'h1', newContent: 'A', diff: '+A' };
  const host = fakeHost({ 'workspace.propose_edit': () => ok('staged', { changeSet: { id: 'cs', files: [a] } }) });
  const policy = tablePolicy([{ match: (x) => x.kind === 'write', decision: 'ask' }]);
  const applier = recordingApplier();
  const approver = recordingApprover([{ approved: true, changeSet: { id: 'cs', files: [{ ...a, path: '.git/hooks/pre-commit' }] } }]);
  const model = scriptedModel([{ calls: [{ name: 'workspace__propose_edit', args: { path: 'a.ts', content: 'A' } }] }, { text: 'ok' }]);
  await runTask(deps({ model, host, policy, approver, editApplier: applier }), { task: 't' });
  assert.equal(applier.applied.length, 0);
  assert.match((model.requests[1]!.messages.at(-1) as { content: string }).content, /was not proposed/);
});

test('a checkpoint is taken before each applied edit and each command; a failed checkpoint stops the change', async () => {
  const cs = { id: 'cs', files: [{ path: 'a.ts', baseHash: null, newContent: 'A', diff: '+A' }] };
  const host = fakeHost({ 'workspace.propose_edit': () => ok('staged', { changeSet: cs }), 'shell.run_command': () => ok('ran') });
  const taken: string[] = [];
  const checkpointer = {
    async beforeChange(change: { kind: 'edit'; files: string[] } | { kind: 'shell'; command: string }) {
      if (change.kind === 'shell' && change.command === 'fail') throw new Error('disk full');
      taken.push(change.kind === 'edit' ? `edit:${change.files.join(',')}` : `shell:${change.command}`);
      return `cp${taken.length}`;
    },
  };
  const applier = recordingApplier();
  const model = scriptedModel([
    { calls: [{ name: 'workspace__propose_edit', args: { path: 'a.ts', content: 'A' } }] },
    { calls: [{ name: 'shell__run_command', args: { command: 'npm test' } }] },
    { calls: [{ name: 'shell__run_command', args: { command: 'fail' } }] },
    { text: 'ok' },
  ]);
  const d = deps({ model, host, editApplier: applier, checkpointer });
  await runTask(d, { task: 't' });
  assert.deepEqual(taken, ['edit:a.ts', 'shell:npm test']);
  assert.deepEqual(host.calls.map((c) => `${c.name}:${String(c.args.command ?? '')}`), ['workspace.propose_edit:', 'shell.run_command:npm test']);
  assert.match((model.requests[3]!.messages.at(-1) as { content: string }).content, /checkpoint before it could not be saved: disk full/);
  assert.deepEqual(d.trace.events.filter((e) => e.type === 'checkpoint').map((e) => (e as { id: string }).id), ['cp1', 'cp2']);
});

test('context hooks open the conversation, shape each call, and record observations', async () => {
  const seen: string[] = [];
  const context = {
    async initialMessages(input: { task: string }) {
      return [{ role: 'system' as const, content: 'SYS' }, { role: 'user' as const, content: `RULES\n${input.task}` }];
    },
    async prepare(input: { step: number; messages: import('../../../extension/core/model/types.js').ChatMessage[] }) {
      seen.push(`prepare:${input.step}:${input.messages.length}`);
      return input.messages;
    },
    observe(input: { tool: string; content: string }) {
      return `[${input.tool}] ${input.content.length} chars`;
    },
  };
  const model = scriptedModel([
    (req) => {
      assert.equal((req.messages[1] as { content: string }).content, 'RULES\nthe task');
      return { calls: [{ name: 'workspace__read_file', args: { path: 'a' } }] };
    },
    (req) => {
      assert.equal((req.messages.at(-1) as { content: string }).content, '[workspace.read_file] 13 chars');
      return { text: 'ok' };
    },
  ]);
  await runTask(deps({ model, context }), { task: 'the task' });
  assert.deepEqual(seen, ['prepare:1:2', 'prepare:2:4']);
});

test('at the step limit the user is asked to continue; yes buys another budget of steps, no stops with the summary', async () => {
  const reads = (n: number) => Array.from({ length: n }, (_, i) => ({ calls: [{ name: 'workspace__read_file', args: { path: `f${i}` } }] }));
  const yes = recordingApprover([{ approved: true }]);
  const model = scriptedModel([...reads(3), { text: 'finished' }]);
  const outcome = await runTask(deps({ model, approver: yes }), { task: 't', budgets: { maxSteps: 2 } });
  assert.equal(outcome.status, 'done');
  assert.equal(outcome.totals.steps, 4);
  const asked = yes.requests[0]!;
  assert.ok(asked.kind === 'continue' && asked.extraSteps === 2 && /Tool calls made: 2/.test(asked.summary));

  const no = recordingApprover([{ approved: false }]);
  const stopped = await runTask(deps({ model: scriptedModel(reads(5)), approver: no }), { task: 't', budgets: { maxSteps: 2 } });
  assert.equal(stopped.status, 'budget_exhausted');
  assert.equal(no.requests.length, 1);
});

test('approved plan steps are ticked off as the agent reports them done', async () => {
  const events: { type: string; steps?: { text: string; done: boolean }[] }[] = [];
  const model = scriptedModel([
    { text: '1. read a\n2. fix b\n3. test' },
    { text: 'Read it.\nDone: step 1', calls: [{ name: 'workspace__read_file', args: { path: 'a' } }] },
    { text: 'Done: steps 2 and 3\nAll finished.' },
  ]);
  const outcome = await runTask(deps({ model, approver: recordingApprover([{ approved: true }]) }), {
    task: 't',
    mode: 'plan',
    onEvent: (e) => {
      if (e.type === 'plan_progress') events.push(e);
    },
  });
  assert.equal(outcome.status, 'done');
  assert.deepEqual(events.map((e) => e.steps!.map((s) => (s.done ? 'x' : '-')).join('')), ['---', 'x--', 'xxx']);
  assert.equal(events[0]!.steps![1]!.text, 'fix b');
  assert.match(String(model.requests[1]!.messages.at(-1)!.content), /Done: step N/, 'the agent is told how to report progress');
});

test('spending outside the loop while the task runs (MCP sampling) counts toward the task budget', async () => {
  let spend: ((usage: { promptTokens: number; completionTokens: number; cachedPromptTokens: number; estimated: boolean }, usd: number) => void) | undefined;
  const externalSpend = {
    attach(record: NonNullable<typeof spend>) {
      spend = record;
      return () => {
        spend = undefined;
      };
    },
  };
  const host = fakeHost({
    'workspace.read_file': () => {
      spend!({ promptTokens: 50, completionTokens: 5, cachedPromptTokens: 0, estimated: false }, 0.5); // the server sampled
      return ok('x');
    },
  });
  const model = scriptedModel([
    { calls: [{ name: 'workspace__read_file', args: { path: 'a' } }], cost: 0.1 },
    { calls: [{ name: 'workspace__read_file', args: { path: 'b' } }], cost: 0.1 },
    { text: 'never' },
  ]);
  const outcome = await runTask({ ...deps({ model, host }), externalSpend }, { task: 't', budgets: { maxCostUsd: 0.75 } });
  // 0.10 (step 1) + 0.50 (sampling) = 0.60; another call as costly as the last spend would pass 0.75: stop here.
  assert.equal(outcome.status, 'budget_exhausted', 'the sampling cost used up the budget');
  assert.equal(outcome.exhausted, 'cost');
  assert.ok(Math.abs(outcome.totals.costUsd - 0.6) < 1e-9, String(outcome.totals.costUsd));
  assert.equal(outcome.totals.promptTokens, 150);
  assert.equal(model.requests.length, 1);
  assert.equal(spend, undefined, 'detached when the task ends');
});
