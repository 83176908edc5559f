import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTotals } from '../../../webview/transcript.js';

test('totals read as steps, tool calls, tokens, cost and time', () => {
  assert.equal(
    formatTotals({ steps: 3, toolCalls: 1, promptTokens: 1200, completionTokens: 34, costUsd: 0.0123, durationMs: 4560 }),
    '3 steps · 1 tool call · 1,234 tokens · $0.01 · 4.6 s',
  );
  assert.equal(
    formatTotals({ steps: 1, toolCalls: 0, promptTokens: 10, completionTokens: 5, costUsd: 0.00042, durationMs: 80 }),
    '1 step · 0 tool calls · 15 tokens · $0.0004 · 80 ms',
  );
  assert.equal(formatTotals({ steps: 0, toolCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, durationMs: 0 }).includes('$0.00'), true);
});

test('an unpriced model says "price unknown", never $0.00; durations read as a person says them', async () => {
  const { costText, formatDuration, plural } = await import('../../../webview/transcript.js');
  assert.equal(costText(0, false), 'price unknown');
  assert.equal(costText(0, true), '$0.00');
  assert.equal(costText(0, undefined), '$0.00');
  assert.equal(costText(0.5, false), '$0.50 (some calls unpriced)');
  assert.equal(formatTotals({ steps: 1, toolCalls: 1, promptTokens: 1, completionTokens: 1, costUsd: 0, durationMs: 1 }, false).includes('price unknown'), true);
  assert.deepEqual([850, 4_560, 42_000, 185_000, 3_720_000].map(formatDuration), ['850 ms', '4.6 s', '42 s', '3 min 5 s', '1 h 2 min']);
  assert.equal(plural(1, 'step'), '1 step');
  assert.equal(plural(2, 'step'), '2 steps');
});
