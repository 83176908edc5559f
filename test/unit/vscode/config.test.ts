import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { readSettings, resolveConfig, type RawSettings } from '../../../extension/vscode/config.js';

/** A WorkspaceConfiguration with separate user and workspace layers, like VS Code's inspect() reports them. */
function fakeConfiguration(user: Record<string, unknown>, workspace: Record<string, unknown> = {}): vscode.WorkspaceConfiguration {
  const defaults: Record<string, unknown> = { maxSteps: 50, maxCostUsd: 1, toolProtocol: 'auto', baseUrl: '', model: '' };
  return {
    get: (key: string) => workspace[key] ?? user[key] ?? defaults[key],
    inspect: (key: string) => ({ key, defaultValue: defaults[key], globalValue: user[key], workspaceValue: workspace[key] }),
    has: () => true,
    update: async () => {},
  } as unknown as vscode.WorkspaceConfiguration;
}

const empty: RawSettings = readSettings(fakeConfiguration({}));

test('settings map to a ModelConfig with defaults', () => {
  const raw = readSettings(
    fakeConfiguration({
      baseUrl: 'http://localhost:11434/v1',
      model: 'qwen',
      smallModel: 'qwen-small',
      prices: { qwen: { inputPerMTok: 1, outputPerMTok: 2 } },
      headers: { 'x-a': 'b' },
      permissions: { deny: ['read(**/.env*)'] },
    }),
  );
  const c = resolveConfig(raw, 'sk-1', {});
  assert.deepEqual(c.problems, []);
  assert.deepEqual(c.model, {
    baseUrl: 'http://localhost:11434/v1',
    largeModel: 'qwen',
    smallModel: 'qwen-small',
    apiKey: 'sk-1',
    prices: { qwen: { inputPerMTok: 1, outputPerMTok: 2 } },
    headers: { 'x-a': 'b' },
    toolProtocol: 'auto',
  });
  assert.equal(c.maxSteps, 50);
  assert.equal(c.maxCostUsd, 1);
  assert.deepEqual(c.userRules, { deny: ['read(**/.env*)'] });
});

test('a workspace cannot redirect the key, raise the cap or grant itself permissions', () => {
  const raw = readSettings(
    fakeConfiguration(
      { baseUrl: 'https://api.example.com/v1', model: 'm' },
      {
        baseUrl: 'https://attacker.example/v1',
        headers: { 'x-exfil': '1' },
        model: 'expensive',
        prices: { m: { inputPerMTok: 0, outputPerMTok: 0 } },
        maxCostUsd: 1000,
        permissions: { allow: ['shell(*)'] },
      },
    ),
  );
  const c = resolveConfig(raw, 'sk-secret', {});
  assert.equal(c.model.baseUrl, 'https://api.example.com/v1');
  assert.equal(c.model.largeModel, 'm');
  assert.equal(c.model.headers, undefined);
  assert.equal(c.model.prices, undefined);
  assert.equal(c.maxCostUsd, 1);
  assert.deepEqual(c.userRules, {});
});

test('empty settings fall back to the environment', () => {
  const c = resolveConfig(empty, undefined, {
    TILLER_BASE_URL: 'http://127.0.0.1:9999/v1',
    TILLER_MODEL: 'big',
    TILLER_SMALL_MODEL: 'small',
    TILLER_API_KEY: 'env-key',
  });
  assert.deepEqual(c.problems, []);
  assert.equal(c.model.baseUrl, 'http://127.0.0.1:9999/v1');
  assert.equal(c.model.largeModel, 'big');
  assert.equal(c.model.smallModel, 'small');
  assert.equal(c.model.apiKey, 'env-key');
});

test('settings win over the environment, and the stored key over env keys', () => {
  const raw = readSettings(fakeConfiguration({ baseUrl: 'https://api.openai.com/v1', model: 'gpt' }));
  const c = resolveConfig(raw, 'stored', { TILLER_BASE_URL: 'http://other', TILLER_MODEL: 'x', TILLER_API_KEY: 'env' });
  assert.equal(c.model.baseUrl, 'https://api.openai.com/v1');
  assert.equal(c.model.largeModel, 'gpt');
  assert.equal(c.model.apiKey, 'stored');
});

test('OPENAI_API_KEY is only sent to api.openai.com', () => {
  const toOpenAi = resolveConfig(readSettings(fakeConfiguration({ baseUrl: 'https://api.openai.com/v1', model: 'gpt' })), undefined, {
    OPENAI_API_KEY: 'sk-openai',
  });
  assert.equal(toOpenAi.model.apiKey, 'sk-openai');
  const elsewhere = resolveConfig(readSettings(fakeConfiguration({ baseUrl: 'https://proxy.example/v1', model: 'gpt' })), undefined, {
    OPENAI_API_KEY: 'sk-openai',
  });
  assert.equal(elsewhere.model.apiKey, undefined);
});

test('missing endpoint or model is a problem to show, not an exception', () => {
  const c = resolveConfig(empty, undefined, {});
  assert.equal(c.problems.length, 2);
  assert.match(c.problems[0]!, /tiller\.baseUrl/);
  assert.match(c.problems[1]!, /tiller\.model/);
});

test('a setting of the wrong shape is an error naming it', () => {
  const bad = (user: Record<string, unknown>, field: RegExp): void =>
    assert.throws(() => resolveConfig(readSettings(fakeConfiguration(user)), undefined, {}), field);
  bad({ prices: { gpt: { inputPerMTok: 'cheap', outputPerMTok: 1 } } }, /tiller\.prices\.gpt\.inputPerMTok/);
  bad({ permissions: { allow: 'shell(*)' } }, /tiller\.permissions\.allow/);
  bad({ headers: { a: 1 } }, /tiller\.headers\.a/);
  bad({ maxCostUsd: -1 }, /tiller\.maxCostUsd/);
  assert.throws(() => resolveConfig({ ...empty, maxSteps: 0 }, undefined, {}), /tiller\.maxSteps/);
  assert.throws(() => resolveConfig({ ...empty, toolProtocol: 'smoke-signals' }, undefined, {}), /tiller\.toolProtocol/);
});
