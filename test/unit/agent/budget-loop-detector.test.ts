import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetTracker } from '../../../extension/core/agent/budget.js';
import { canonicalJson, LoopDetector } from '../../../extension/core/agent/loop-detector.js';

test('budgets: each kind is reported before the call that would cross it', () => {
  let now = 0;
  const b = new BudgetTracker({ maxSteps: 2, maxTokens: 1000, maxCostUsd: 1, maxTimeMs: 5000 }, 0, () => now);
  assert.equal(b.exhaustedBefore({ estimatedTokens: 10, estimatedCostUsd: 0.01, nextStep: true }), undefined);
  assert.equal(b.exhaustedBefore({ estimatedTokens: 1001, estimatedCostUsd: 0, nextStep: true }), 'tokens');
  assert.equal(b.exhaustedBefore({ estimatedTokens: 0, estimatedCostUsd: 1.01, nextStep: true }), 'cost');
  b.totals.steps = 2;
  assert.equal(b.exhaustedBefore({ estimatedTokens: 0, estimatedCostUsd: 0, nextStep: true }), 'steps');
  assert.equal(b.exhaustedBefore({ estimatedTokens: 0, estimatedCostUsd: 0, nextStep: false }), undefined, 'subagent calls do not use coordinator steps');
  now = 5000;
  assert.equal(b.exhaustedBefore({ estimatedTokens: 0, estimatedCostUsd: 0, nextStep: false }), 'time');
});

test('loop detector: key order does not hide a repeat; refuse at 3, stop at 5; reset after progress', () => {
  assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }), canonicalJson({ a: [1, { c: 3, d: 2 }], b: 1 }));
  const d = new LoopDetector();
  assert.equal(d.observe('t', { a: 1, b: 2 }).verdict, 'ok');
  assert.equal(d.observe('t', { b: 2, a: 1 }).verdict, 'ok');
  assert.equal(d.observe('t', { a: 1, b: 2 }).verdict, 'refuse');
  assert.equal(d.observe('t', { a: 2 }).verdict, 'ok');
  assert.equal(d.observe('t', { a: 1, b: 2 }).verdict, 'refuse');
  assert.equal(d.observe('t', { a: 1, b: 2 }).verdict, 'stop');
  d.reset();
  assert.equal(d.observe('t', { a: 1, b: 2 }).verdict, 'ok');
});
