import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { classifyError, classifyHttpFailure, networkCode, type HttpFailure } from '../../../extension/core/model/errors.js';
import { headersRetryAfter } from '../../../extension/core/model/retry.js';
import type { ModelErrorKind } from '../../../extension/core/model/types.js';

const ctx = { baseUrl: 'https://api.example.test/v1', model: 'gpt-x', hasApiKey: true };

const table: [HttpFailure, ModelErrorKind, boolean][] = [
  [{ status: 400, message: 'bad param' }, 'bad_request', false],
  [{ status: 422 }, 'bad_request', false],
  [{ status: 401 }, 'auth', false],
  [{ status: 403 }, 'auth', false],
  [{ status: 404, code: 'model_not_found' }, 'not_found', false],
  [{ status: 408 }, 'server', true],
  [{ status: 409 }, 'server', true],
  [{ status: 500 }, 'server', true],
  [{ status: 502, rawBody: '<html><body>Bad gateway</body></html>' }, 'server', true],
  [{ status: 503 }, 'server', true],
  [{ status: 429, code: 'rate_limit_exceeded', message: 'Rate limit reached for requests' }, 'rate_limited', true],
  [{ status: 429, code: 'insufficient_quota' }, 'spend_limit', false],
  [{ status: 429, type: 'insufficient_quota' }, 'spend_limit', false],
  [{ status: 429, message: 'You exceeded your current quota, please check your plan and billing details.' }, 'spend_limit', false],
  [{ status: 402, message: 'Insufficient credits' }, 'spend_limit', false],
  [{ status: 200, rawBody: '<!DOCTYPE html><html></html>' }, 'bad_response', false],
  [{ status: 404, rawBody: '<!doctype html><title>404</title>' }, 'bad_response', false],
  [{ status: 418 }, 'bad_response', false],
];

for (const [failure, kind, retryable] of table) {
  void test(`HTTP ${failure.status} ${failure.code ?? failure.type ?? failure.message ?? failure.rawBody?.slice(0, 15) ?? ''} -> ${kind}`, () => {
    const error = classifyHttpFailure(failure, ctx);
    assert.equal(error.kind, kind);
    assert.equal(error.retryable, retryable);
    assert.equal(error.status, failure.status);
  });
}

void test('messages tell the user what to check', () => {
  assert.match(classifyHttpFailure({ status: 401 }, ctx).message, /check the API key/);
  assert.match(classifyHttpFailure({ status: 401 }, { ...ctx, hasApiKey: false }).message, /no API key is configured/);
  const notFound = classifyHttpFailure({ status: 404 }, ctx).message;
  assert.ok(notFound.includes("'gpt-x'") && notFound.includes(ctx.baseUrl));
  assert.match(classifyHttpFailure({ status: 200, rawBody: '<html>' }, ctx).message, /answered HTML, not the OpenAI API: is the base URL right \(it usually ends in \/v1\)\?/);
});

function apiError(status: number, body: object | undefined, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, body, body ? undefined : '<html>nope</html>', new Headers(headers));
}

void test('openai package errors: status errors keep the retry-after hint', () => {
  const failure = classifyError(apiError(429, { error: { message: 'slow down', type: 'rate_limit_error' } }, { 'retry-after': '4' }), ctx, (h) => headersRetryAfter(h, 0));
  assert.equal(failure.error.kind, 'rate_limited');
  assert.equal(failure.retryAfterMs, 4000);
  assert.match(failure.error.message, /slow down/);
  const quota = classifyError(apiError(429, { error: { message: 'quota', code: 'insufficient_quota' } }), ctx, () => undefined);
  assert.equal(quota.error.kind, 'spend_limit');
  const html = classifyError(apiError(404, undefined), ctx, () => undefined);
  assert.equal(html.error.kind, 'bad_response');
});

void test('network errors are found in the cause chain and name the URL', () => {
  const refused = new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }) });
  assert.equal(networkCode(refused), 'ECONNREFUSED');
  const failure = classifyError(refused, ctx, () => undefined);
  assert.equal(failure.error.kind, 'network');
  assert.equal(failure.error.retryable, true);
  assert.ok(failure.error.message.includes(ctx.baseUrl));
  const dns = classifyError(Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }), ctx, () => undefined);
  assert.match(dns.error.message, /host not found/);
  const aggregate = Object.assign(new Error('x'), { errors: [Object.assign(new Error('y'), { code: 'ECONNRESET' })] });
  assert.equal(networkCode(aggregate), 'ECONNRESET');
});

void test('aborts are cancelled; an error event inside a stream is a server error', () => {
  assert.equal(classifyError(new APIUserAbortError(), ctx, () => undefined).error.kind, 'cancelled');
  const inStream = new APIError(undefined, { message: 'overloaded', type: 'server_error' }, undefined, undefined);
  const failure = classifyError(inStream, ctx, () => undefined);
  assert.equal(failure.error.kind, 'server');
  assert.equal(failure.error.retryable, true);
});
