import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortableSleep, backoffDelay, retryAfterMs } from '../../../extension/core/model/retry.js';

const policy = { baseMs: 500, maxMs: 30_000 };

void test('full jitter: the delay is random() times the exponential ceiling', () => {
  assert.equal(backoffDelay(0, policy, () => 0), 0);
  assert.equal(backoffDelay(0, policy, () => 0.5), 250);
  assert.equal(backoffDelay(1, policy, () => 0.5), 500);
  assert.equal(backoffDelay(3, policy, () => 0.5), 2000);
  // Upper bound approaches (never reaches) the ceiling.
  assert.equal(backoffDelay(2, policy, () => 0.999999), 1999);
});

void test('full jitter: the ceiling is capped at maxMs however many retries', () => {
  assert.equal(backoffDelay(10, policy, () => 0.5), 15_000);
  assert.equal(backoffDelay(60, policy, () => 0.999999), 29_999);
});

void test('every delay lies in [0, min(cap, base * 2^n))', () => {
  for (let n = 0; n < 12; n++) {
    for (const r of [0, 0.1, 0.37, 0.5, 0.9, 0.999]) {
      const d = backoffDelay(n, policy, () => r);
      assert.ok(d >= 0 && d < Math.min(policy.maxMs, policy.baseMs * 2 ** n), `n=${n} r=${r} d=${d}`);
    }
  }
});

void test('retry-after is a floor on the delay, and is capped by maxMs', () => {
  assert.equal(backoffDelay(0, policy, () => 0.5, 3000), 3000);
  // Jitter larger than the hint wins.
  assert.equal(backoffDelay(5, policy, () => 0.5, 1000), 8_000);
  // A hostile hour-long hint is capped.
  assert.equal(backoffDelay(0, policy, () => 0.5, 3_600_000), 30_000);
});

void test('retry-after in seconds, as an HTTP date, and retry-after-ms', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  assert.equal(retryAfterMs(headers({ 'retry-after': '7' }), now), 7000);
  assert.equal(retryAfterMs(headers({ 'retry-after': '1.5' }), now), 1500);
  assert.equal(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:20 GMT' }), now), 20_000);
  assert.equal(retryAfterMs(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now), 0, 'a date in the past means now');
  assert.equal(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250, 'retry-after-ms is the more precise');
  assert.equal(retryAfterMs(headers({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(retryAfterMs(headers({ 'retry-after': '-3' }), now), undefined);
  assert.equal(retryAfterMs(headers({}), now), undefined);
});

void test('abortableSleep rejects as soon as the signal aborts', async () => {
  const controller = new AbortController();
  const sleeping = abortableSleep(600_000, controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(sleeping, /stop/);
  await assert.rejects(abortableSleep(10, AbortSignal.abort(new Error('already'))), /already/);
  await abortableSleep(1);
});
