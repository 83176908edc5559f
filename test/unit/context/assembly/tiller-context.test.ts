import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '../../../../extension/core/model/types.js';
import { createTillerContext } from '../../../../extension/core/context/assembly/tiller-context.js';
import { systemMessage } from '../../../../extension/core/context/assembly/opening.js';
import { createFsMentionSources } from '../../../../extension/core/context/assembly/fs-mentions.js';
import { SessionMemory } from '../../../../extension/core/memory/session-memory.js';
import { TaskRecord } from '../../../../extension/core/memory/task-record.js';
import { checkPairing } from '../../../../extension/core/context/compaction/history.js';
import type { RepoContext } from '../../../../extension/core/context/ports.js';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'tiller-ctx-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'AGENTS.md'), 'Use tabs. Never edit generated/.');
  writeFileSync(join(root, 'src', 'date.ts'), 'export function parseDate() {}\n');
  writeFileSync(join(root, 'src', 'big.ts'), 'x'.repeat(400_000 - 1) + '\n');
  return root;
}

const repo: RepoContext = {
  async rank() {
    return [];
  },
  async repoMap(_q, budgetTokens) {
    assert.ok(budgetTokens > 0);
    return { text: 'src/date.ts:\n  parseDate()', tokens: 8, files: [{ path: 'src/date.ts', tokens: 8, reasons: ['defines parseDate (named in the query)'] }] };
  },
};

test('the opening is ordered for caching: system, rules, memory, repo slice, mentions, task; identical when rebuilt', async () => {
  const root = workspace();
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const memory = new SessionMemory(join(home, 'm.jsonl'));
  memory.append({ t: 0, task: 'Earlier parseDate work', status: 'done', summary: 'Note: UTC everywhere', files: [] });
  const make = () => createTillerContext({ workspaceRoot: root, model: 'm', repo, memory, mentions: createFsMentionSources(root, { maxFileBytes: 1_000_000 }) });
  const task = "Fix parseDate in @src/date.ts and look at @src/big.ts. Don't touch src/legacy.ts.";
  const input = { agentId: 'main', mode: 'act' as const, task, workspaceRoot: root };
  const ctx = make();
  const messages = await ctx.initialMessages(input);
  assert.deepEqual(messages, await make().initialMessages(input));
  assert.equal(messages[0]!.content, systemMessage());
  const user = messages[1]!.content!;
  const order = ['# Project rules', 'Use tabs', '# Memory', 'UTC everywhere', '# Repository context', 'parseDate()', '# Attached by the user', 'File src/date.ts', 'Constraints from the task', "- Don't touch src/legacy.ts.", 'Task:\nFix parseDate'];
  const positions = order.map((s) => user.indexOf(s));
  assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), `order: ${positions.join(',')}`);

  await ctx.prepare({ agentId: 'main', step: 1, messages, signal: new AbortController().signal });
  const inspection = ctx.lastPrompt()!;
  assert.equal(inspection.budget, 128_000 - 16_000);
  const kinds = inspection.items.map((i) => `${i.kind}:${i.label}`);
  assert.deepEqual(kinds.slice(0, 5), ['system:system prompt', 'rules:AGENTS.md', 'memory:1 earlier session(s)', 'repo:repo map: 1 files', 'mention:@src/date.ts']);
  const big = inspection.items.find((i) => i.label === '@src/big.ts')!;
  assert.match(big.reason, /cut to fit the budget|left out/);
  assert.ok(inspection.totalTokens > 0 && inspection.totalTokens < inspection.budget);
  assert.deepEqual(ctx.record!.snapshot.constraints.slice(0, 2), ["Don't touch src/legacy.ts.", 'Never edit generated/. (AGENTS.md)']);
});

function turn(i: number, chars: number): ChatMessage[] {
  const id = `c${i}`;
  return [
    { role: 'assistant', content: i === 0 ? 'Note: the port is 8123' : null, toolCalls: [{ id, name: 'workspace__read_file', arguments: JSON.stringify({ path: `src/f${i}.ts` }) }] },
    { role: 'tool', toolCallId: id, content: `file ${i} `.padEnd(chars, 'y') },
  ];
}

test('over the trigger the history is compacted, the task record re-injected once, and the summary charged', async () => {
  const root = workspace();
  const notices: string[] = [];
  const recordPath = join(mkdtempSync(join(tmpdir(), 'tiller-rec-')), 'task.jsonl');
  const ctx = createTillerContext({
    workspaceRoot: root,
    model: 'tiny',
    contextWindows: { tiny: 8000 },
    recordPath,
    compaction: { summarizeRatio: 0.3 },
    summarize: async () => ({ text: 'earlier: read files', usage: { promptTokens: 10, completionTokens: 5, cachedPromptTokens: 0, estimated: false }, costUsd: 0.5 }),
    onNotice: (_a, _s, m) => notices.push(m),
  });
  let messages = await ctx.initialMessages({ agentId: 'main', mode: 'act', task: 'Refactor the server. Only change src/.', workspaceRoot: root });
  const charged: number[] = [];
  for (let i = 0; i < 14; i++) {
    messages = await ctx.prepare({ agentId: 'main', step: i + 1, messages, signal: new AbortController().signal, recordUsage: (_u, c) => charged.push(c) });
    messages = [...messages, ...turn(i, 2400)];
  }
  messages = await ctx.prepare({ agentId: 'main', step: 15, messages, signal: new AbortController().signal, recordUsage: (_u, c) => charged.push(c) });
  assert.ok(notices.some((n) => /^compaction: masked \d+ old tool outputs/.test(n)), notices.join('\n'));
  assert.ok(charged.length > 0 && charged.every((c) => c === 0.5));
  const records = messages.filter((m) => m.role === 'user' && m.content.startsWith('[Task record'));
  assert.equal(records.length, 1);
  assert.match(records[0]!.content!, /Goal:\nRefactor the server[\s\S]*Only change src\/\.[\s\S]*Note: the port is 8123/);
  assert.equal(checkPairing(messages.slice(2)), undefined);
  assert.ok(ctx.lastPrompt()!.totalTokens <= ctx.lastPrompt()!.budget);
  assert.ok(ctx.lastPrompt()!.items.some((i) => i.kind === 'task_record'));
  assert.deepEqual(TaskRecord.load(recordPath).snapshot.decisions, ['Note: the port is 8123']);
});

test('observe: unchanged re-reads are referenced, edits and failures go to the record; finish stores memory', async () => {
  const root = workspace();
  const memory = new SessionMemory(join(mkdtempSync(join(tmpdir(), 'tiller-mem-')), 'm.jsonl'));
  const ctx = createTillerContext({ workspaceRoot: root, model: 'm', memory });
  await ctx.initialMessages({ agentId: 'main', mode: 'act', task: 'Fix the flaky scheduler test', workspaceRoot: root });
  const read = (step: number) => ctx.observe!({ agentId: 'main', step, tool: 'workspace.read_file', args: { path: 'src/a.ts' }, content: 'same text', isError: false });
  assert.equal(read(1), 'same text');
  assert.match(read(3), /unchanged since step 1/);
  ctx.observe!({ agentId: 'main', step: 4, tool: 'workspace.propose_edit', args: { path: 'src/a.ts' }, content: 'Applied the edit to src/a.ts.', isError: false, changedFiles: ['src/a.ts'] });
  ctx.observe!({ agentId: 'main', step: 5, tool: 'shell.run_command', args: { command: 'npm test' }, content: 'exit 1: scheduler.test.ts failed', isError: true });
  assert.deepEqual(ctx.record!.snapshot.filesTouched, ['src/a.ts']);
  assert.equal(ctx.record!.snapshot.failed.length, 1);
  ctx.finish({ status: 'done', summary: 'Made the scheduler test wait on the event' });
  const later = createTillerContext({ workspaceRoot: root, model: 'm', memory });
  const opening = await later.initialMessages({ agentId: 'main', mode: 'act', task: 'the scheduler test is flaky again', workspaceRoot: root });
  assert.match(opening[1]!.content!, /# Memory[\s\S]*Fix the flaky scheduler test[\s\S]*wait on the event/);
});

test('an explorer opens plainly and an unknown agent passes through', async () => {
  const ctx = createTillerContext({ workspaceRoot: workspace(), model: 'm' });
  const m = await ctx.initialMessages({ agentId: 'explorer-1', mode: 'explorer', task: 'where is X?', workspaceRoot: '/' });
  assert.equal(m[1]!.content, 'where is X?');
  const msgs: ChatMessage[] = [{ role: 'user', content: 'x' }];
  assert.equal(await ctx.prepare({ agentId: 'other', step: 1, messages: msgs, signal: new AbortController().signal }), msgs);
});

test('an approved plan becomes the open todos; a resumed history is adopted with its opening protected', async () => {
  const root = workspace();
  const ctx = createTillerContext({ workspaceRoot: root, model: 'm' });
  const opening = await ctx.initialMessages({ agentId: 'main', mode: 'plan', task: 'Plan the fix', workspaceRoot: root });
  const { PLAN_APPROVED } = await import('../../../../extension/core/agent/prompts.js');
  const messages: ChatMessage[] = [...opening, { role: 'assistant', content: '1. read a.ts\n2. fix b.ts' }, { role: 'user', content: `${PLAN_APPROVED}\n\nApproved plan:\n1. read a.ts\n2. fix b.ts` }];
  await ctx.prepare({ agentId: 'main', step: 2, messages, signal: new AbortController().signal });
  assert.deepEqual(ctx.record!.snapshot.todos, ['read a.ts', 'fix b.ts']);

  const resumed = createTillerContext({ workspaceRoot: root, model: 'tiny', contextWindows: { tiny: 4000 } });
  let history: ChatMessage[] = [{ role: 'system', content: 'sys' }, { role: 'user', content: 'Resumed goal GOAL-77' }];
  for (let i = 0; i < 8; i++) history = [...history, ...turn(i, 2400)];
  const out = await resumed.prepare({ agentId: 'main', step: 9, messages: history, signal: new AbortController().signal });
  assert.equal(out[1]!.content, 'Resumed goal GOAL-77');
  assert.ok(out.some((m) => (m.role === 'tool' && m.content.startsWith('[output of ')) || (m.role === 'user' && m.content.startsWith('[Summary of earlier steps'))));
  assert.match(out.at(-1)!.content!, /\[Task record[\s\S]*GOAL-77/);
  assert.equal(checkPairing(out), undefined);
});
