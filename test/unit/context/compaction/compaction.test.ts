import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../../extension/core/model/types.js';
import { maskObservations } from '../../../../extension/core/context/compaction/masking.js';
import { compact } from '../../../../extension/core/context/compaction/compactor.js';
import { checkPairing } from '../../../../extension/core/context/compaction/history.js';
import { SUMMARY_PREFIX, type Summarize } from '../../../../extension/core/context/compaction/summarize.js';
import { estimateMessagesTokens } from '../../../../extension/core/model/tokens.js';

/** An opening plus `turns` turns, each reading one file with a large output (two calls in every third turn). */
function history(turns: number, outputChars = 4000): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: 'sys' }, { role: 'user', content: 'task' }];
  for (let i = 0; i < turns; i++) {
    const calls = [{ id: `c${i}a`, name: 'workspace__read_file', arguments: JSON.stringify({ path: `src/f${i}.ts` }) }];
    if (i % 3 === 0) calls.push({ id: `c${i}b`, name: 'shell__run_command', arguments: JSON.stringify({ command: `npm test ${i}` }) });
    messages.push({ role: 'assistant', content: `Note: fact-${i}`, toolCalls: calls });
    for (const c of calls) messages.push({ role: 'tool', toolCallId: c.id, content: `output ${c.id} `.padEnd(outputChars, 'x') });
  }
  return messages;
}

test('masking stubs old outputs with the call and its size, keeps the recent turns and every pairing', () => {
  const messages = history(8);
  const { messages: out, elided } = maskObservations(messages, { protectedCount: 2, keepRecentTurns: 3, minTokens: 100 });
  assert.equal(elided, 5 + 2);
  assert.equal(out[3]!.role === 'tool' && out[3]!.content, '[output of workspace.read_file src/f0.ts elided; 1,000 tokens; read it again if needed]');
  assert.equal(out[4]!.role === 'tool' && out[4]!.content, '[output of shell.run_command npm test 0 elided; 1,000 tokens; read it again if needed]');
  const recent = out.slice(-5).filter((m) => m.role === 'tool');
  assert.ok(recent.every((m) => m.content.startsWith('output ')));
  assert.equal(checkPairing(out), undefined);
  assert.equal(out.length, messages.length);
  const again = maskObservations(out, { protectedCount: 2, keepRecentTurns: 3, minTokens: 100 });
  assert.equal(again.elided, 0, 'stubs are not stubbed again');
});

test('small outputs stay; a kept read reference whose original was masked gets its full text back', () => {
  const messages = history(5);
  const original = (messages[3] as { content: string }).content;
  const reference = '[src/f0.ts is unchanged since step 1 (same content hash); see the read at step 1 above]';
  const last = messages.length - 1;
  messages[last] = { ...(messages[last] as ChatMessage & { role: 'tool' }), content: reference };
  messages[5] = { ...(messages[5] as ChatMessage & { role: 'tool' }), content: 'tiny' };
  const { messages: out } = maskObservations(messages, { protectedCount: 2, keepRecentTurns: 1, minTokens: 100, expand: (t) => (t === reference ? original : undefined) });
  assert.equal((out[5] as { content: string }).content, 'tiny');
  assert.match((out[3] as { content: string }).content, /^\[output of/);
  assert.equal((out[last] as { content: string }).content, original);
});

test('below the masking threshold nothing changes (the prompt prefix stays cacheable)', async () => {
  const messages = history(3, 400);
  const result = await compact({ messages, protectedCount: 2, agentId: 'main', step: 4, signal: new AbortController().signal }, { budgetTokens: 100_000 });
  assert.equal(result.messages, messages);
  assert.deepEqual(result.actions, []);
});

test('masking first; if still too big, the oldest turns are summarised by the small model and its usage reported', async () => {
  const messages = history(30, 400);
  const seen: string[] = [];
  const summarize: Summarize = async ({ messages: m }) => {
    seen.push(m[0]!.content ?? '');
    return { text: 'SUMMARY: fact-0 and fact-1 kept', usage: { promptTokens: 500, completionTokens: 50, cachedPromptTokens: 0, estimated: false }, costUsd: 0.01 };
  };
  const usage: number[] = [];
  const budget = Math.floor(estimateMessagesTokens(messages) / 0.7);
  const result = await compact(
    { messages, protectedCount: 2, agentId: 'main', step: 31, signal: new AbortController().signal, summarize, onUsage: (u, c) => usage.push(u.promptTokens, c) },
    { budgetTokens: budget, maskRatio: 0.6, summarizeRatio: 0.2, keepRecentTurns: 3, summaryKeepTurns: 2, minMaskTokens: 50 },
  );
  assert.deepEqual(result.actions.map((a) => a.kind), ['masked', 'summarized']);
  assert.deepEqual(usage, [500, 0.01]);
  assert.match(seen[0]!, /AGENT: Note: fact-0\nAGENT CALLED: workspace.read_file/);
  assert.equal(result.messages[2]!.role, 'user');
  assert.match((result.messages[2] as { content: string }).content, new RegExp(`^\\${SUMMARY_PREFIX}\\nSUMMARY: fact-0`));
  assert.equal(result.messages[3]!.role, 'assistant');
  assert.equal(result.messages.filter((m) => m.role === 'assistant').length, 2);
  assert.equal(checkPairing(result.messages), undefined);
  assert.ok(result.tokensAfter < result.tokensBefore / 4);
});

test('a failing summary call falls back to a plain list of what was done; cancellation is not swallowed', async () => {
  const messages = history(20, 400);
  const budget = Math.floor(estimateMessagesTokens(messages) / 0.7);
  const failing: Summarize = async () => {
    throw new Error('small model down');
  };
  const result = await compact({ messages, protectedCount: 2, agentId: 'main', step: 21, signal: new AbortController().signal, summarize: failing }, { budgetTokens: budget, summarizeRatio: 0.1 });
  const summary = result.actions.find((a) => a.kind === 'summarized');
  assert.deepEqual(summary, { kind: 'summarized', messages: summary && 'messages' in summary ? summary.messages : 0, byModel: false, error: 'small model down' });
  assert.match((result.messages[2] as { content: string }).content, /what was done:\n- said: Note: fact-0\n- called workspace.read_file src\/f0.ts\n- called shell.run_command npm test 0/);
  assert.equal(checkPairing(result.messages), undefined);

  const controller = new AbortController();
  const aborting: Summarize = async () => {
    controller.abort();
    throw new Error('aborted');
  };
  await assert.rejects(compact({ messages, protectedCount: 2, agentId: 'main', step: 21, signal: controller.signal, summarize: aborting }, { budgetTokens: budget, summarizeRatio: 0.1 }), /aborted/);
});

test('a span too short to be worth a model call is not summarised (no summary on every step)', async () => {
  const messages = history(5, 4000);
  let calls = 0;
  const summarize: Summarize = async () => {
    calls++;
    return { text: 's' };
  };
  const result = await compact(
    { messages, protectedCount: 2, agentId: 'main', step: 6, signal: new AbortController().signal, summarize },
    { budgetTokens: 1000, keepRecentTurns: 3, summaryKeepTurns: 2, minSummaryTurns: 4 },
  );
  assert.equal(calls, 0);
  assert.deepEqual(result.actions.map((a) => a.kind), ['masked']);
});
