import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelConfigFrom } from '../../../extension/cli/config.js';
import { UsageError } from '../../../extension/cli/exit-codes.js';

test('OPENAI_API_KEY goes to api.openai.com only; TILLER_API_KEY to any endpoint', () => {
  const warnings: string[] = [];
  const openai = modelConfigFrom({ model: 'gpt-4.1' }, { OPENAI_API_KEY: 'sk-openai' });
  assert.equal(openai.baseUrl, 'https://api.openai.com/v1');
  assert.equal(openai.apiKey, 'sk-openai');
  const local = modelConfigFrom({ model: 'm', baseUrl: 'http://127.0.0.1:11434/v1' }, { OPENAI_API_KEY: 'sk-openai' }, (w) => warnings.push(w));
  assert.equal(local.apiKey, undefined);
  assert.match(warnings[0]!, /OPENAI_API_KEY is not sent to 127\.0\.0\.1:11434/);
  const tiller = modelConfigFrom({ model: 'm', baseUrl: 'https://openrouter.ai/api/v1' }, { TILLER_API_KEY: 'k', OPENAI_API_KEY: 'sk-openai' });
  assert.equal(tiller.apiKey, 'k');
});

test('missing or malformed settings are named', () => {
  assert.throws(() => modelConfigFrom({ model: 'm' }, {}), (e: unknown) => e instanceof UsageError && /--base-url/.test(e.message));
  assert.throws(() => modelConfigFrom({ baseUrl: 'http://x/v1' }, {}), /no model name/);
  assert.throws(() => modelConfigFrom({ baseUrl: 'ftp://x/v1', model: 'm' }, {}), /http or https/);
  assert.throws(() => modelConfigFrom({ baseUrl: 'http://x/v1', model: 'm' }, { TILLER_PRICES: '{"m": {"inputPerMTok": "free"}}' }), /TILLER_PRICES\.m\.inputPerMTok/);
  assert.deepEqual(modelConfigFrom({ baseUrl: 'http://x/v1', model: 'm' }, { TILLER_PRICES: '{"m": {"inputPerMTok": 1, "outputPerMTok": 2}}' }).prices, { m: { inputPerMTok: 1, outputPerMTok: 2 } });
});
