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
    '1 step · 0 tool calls · 15 tokens · $0.0004 · 0.1 s',
  );
  assert.equal(formatTotals({ steps: 0, toolCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, durationMs: 0 }).includes('$0.00'), true);
});
