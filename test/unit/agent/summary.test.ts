import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEXT_STEP, progressSummary, sentence } from '../../../extension/core/agent/summary.js';

const progress = { filesChanged: new Set<string>(), commandsRun: [], lastModelText: '', toolCalls: 0 };

test('a sentence ends with one stop: no "?." or ".:"', () => {
  assert.equal(sentence('is the server running?'), 'is the server running?');
  assert.equal(sentence('HTTP 404.'), 'HTTP 404.');
  assert.equal(sentence('the model said:'), 'the model said.');
  assert.equal(sentence('no answer'), 'no answer.');
});

test('only a budget stop suggests raising the budget', () => {
  assert.match(progressSummary('the step budget (5) is used up', progress), /raise the budget\.$/);
  const failed = progressSummary('Stopped: the model could not be reached: is the server running?', progress, NEXT_STEP.failed);
  assert.doesNotMatch(failed, /budget/);
  assert.doesNotMatch(failed, /\?\.|\.:|Stopped: Stopped/);
  assert.match(failed, /^Stopped: the model could not be reached: is the server running\? No files were changed\./);
  assert.doesNotMatch(progressSummary('cancelled by the user', progress, NEXT_STEP.cancelled), /budget/);
});
