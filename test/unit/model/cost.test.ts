import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PRICES, costOf, priceFor, usageFrom } from '../../../extension/core/model/cost.js';
import { estimateMessagesTokens, estimateTokens } from '../../../extension/core/model/tokens.js';
import { createModelClient } from '../../../extension/core/model/client.js';

const table = {
  'gpt-4o': { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'local/': { inputPerMTok: 0, outputPerMTok: 0 },
};

void test('exact match first, then the longest prefix', () => {
  assert.equal(priceFor(table, 'gpt-4o'), table['gpt-4o']);
  assert.equal(priceFor(table, 'gpt-4o-mini-2024-07-18'), table['gpt-4o-mini']);
  assert.equal(priceFor(table, 'gpt-4o-2024-08-06'), table['gpt-4o']);
  assert.equal(priceFor(table, 'llama3'), undefined);
});

void test('cached prompt tokens are billed at the cached price; uncached at the input price', () => {
  const cost = costOf(table, 'gpt-4o', { promptTokens: 10_000, cachedPromptTokens: 8_000, completionTokens: 500 });
  assert.equal(cost, (2_000 * 2.5 + 8_000 * 1.25 + 500 * 10) / 1e6);
});

void test('without a cached price, cached tokens cost the input price', () => {
  const cost = costOf(table, 'gpt-4o-mini', { promptTokens: 1_000_000, cachedPromptTokens: 400_000, completionTokens: 1_000_000 });
  assert.equal(cost, 0.15 + 0.6);
});

void test('an unknown model costs 0', () => {
  assert.equal(costOf(table, 'mystery-model', { promptTokens: 1e6, cachedPromptTokens: 0, completionTokens: 1e6 }), 0);
});

void test('provider usage is taken as is; missing usage is estimated and marked', () => {
  assert.deepEqual(usageFrom({ prompt_tokens: 100, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 64 } }, { promptTokens: 1, completionTokens: 1 }), {
    promptTokens: 100,
    completionTokens: 20,
    cachedPromptTokens: 64,
    estimated: false,
  });
  assert.deepEqual(usageFrom({ prompt_tokens: 100, completion_tokens: 20 }, { promptTokens: 1, completionTokens: 1 }).cachedPromptTokens, 0);
  assert.deepEqual(usageFrom(undefined, { promptTokens: 7, completionTokens: 3 }), { promptTokens: 7, completionTokens: 3, cachedPromptTokens: 0, estimated: true });
  assert.equal(usageFrom({ prompt_tokens: null, completion_tokens: 5 }, { promptTokens: 7, completionTokens: 3 }).estimated, true);
});

void test('token estimates: four characters a token, plus per-message overhead', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('abcd'), 1);
  assert.equal(estimateTokens('abcde'), 2);
  const one = estimateMessagesTokens([{ role: 'user', content: 'abcdefgh' }]);
  const two = estimateMessagesTokens([{ role: 'user', content: 'abcdefgh' }, { role: 'assistant', content: null, toolCalls: [{ id: 'c', name: 'read', arguments: '{"p":1}' }] }]);
  assert.ok(one >= 2 && two > one);
});

void test('estimateCost prices a role from estimates; default prices cover well-known models', () => {
  const client = createModelClient({ baseUrl: 'http://127.0.0.1:1/v1', largeModel: 'gpt-4o', smallModel: 'gpt-4o-mini' });
  assert.equal(client.estimateCost('large', 1_000_000, 0), DEFAULT_PRICES['gpt-4o']?.inputPerMTok);
  assert.equal(client.estimateCost('small', 0, 1_000_000), DEFAULT_PRICES['gpt-4o-mini']?.outputPerMTok);
  assert.equal(client.modelFor('small'), 'gpt-4o-mini');
  const configured = createModelClient({ baseUrl: 'http://127.0.0.1:1/v1', largeModel: 'gpt-4o', prices: { 'gpt-4o': { inputPerMTok: 1, outputPerMTok: 1 } } });
  assert.equal(configured.estimateCost('large', 1_000_000, 1_000_000), 2, 'configured prices override the defaults');
  assert.equal(configured.modelFor('small'), 'gpt-4o', 'small defaults to large');
  for (const name of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini']) assert.ok(DEFAULT_PRICES[name], name);
});
