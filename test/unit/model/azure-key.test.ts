import { test } from 'node:test';
import assert from 'node:assert/strict';
import { azureKeyHeader } from '../../../extension/core/model/client.js';

test('the api-key header is sent to Azure OpenAI hosts only', () => {
  assert.deepEqual(azureKeyHeader('https://my-res.openai.azure.com/openai/v1', 'k1'), { 'api-key': 'k1' });
  assert.deepEqual(azureKeyHeader('https://my-res.cognitiveservices.azure.com/openai/v1', 'k1'), { 'api-key': 'k1' });
  assert.deepEqual(azureKeyHeader('https://api.openai.com/v1', 'k1'), {});
  assert.deepEqual(azureKeyHeader('https://openai.azure.com.evil.example/v1', 'k1'), {}, 'a look-alike host gets no key');
  assert.deepEqual(azureKeyHeader('https://my-res.openai.azure.com/openai/v1', undefined), {});
});
