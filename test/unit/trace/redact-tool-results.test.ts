// Issue 12: credentials in URLs and well-known token shapes are redacted from tool results before the model sees
// them, with a marker saying so; the same redactor keeps them out of traces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets, redactToolResult } from '../../../extension/core/trace/redact.js';

const TOKENS: [string, string][] = [
  ['GitHub classic', 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'],
  ['GitHub OAuth', 'gho_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2'],
  ['GitHub fine-grained', 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
  ['OpenAI', 'sk-' + 'proj-abcdefghijklmnopqrstuvwxyz0123'],
  ['AWS', 'AKIA' + 'IOSFODNN7EXAMPLE'],
  ['Slack bot', 'xoxb-' + '123456789012-abcdefghijkl'],
  ['Slack user', 'xoxp-' + '123456789012-abcdefghijkl'],
  ['GitLab', 'glpat-' + 'abcdefghij1234567890'],
];

for (const [name, token] of TOKENS) {
  test(`a ${name} token in a tool result is redacted, with a marker`, () => {
    const out = redactToolResult(`export TOKEN=${token}\nok`);
    assert.ok(!out.includes(token), out);
    assert.match(out, /TOKEN=\[REDACTED\]\nok\n\[Tiller redacted 1 secret \(.+\) from this result before you saw it/);
  });
}

test('credentials in a git remote URL are redacted; the host and path stay readable', () => {
  const remote = 'origin\thttps://x-access-token:s3cr3t-value@github.com/acme/app.git (fetch)\norigin\thttps://deploy:hunter2@gitlab.example.com/acme/app.git (push)';
  const out = redactToolResult(remote);
  assert.doesNotMatch(out, /s3cr3t-value|hunter2|x-access-token|deploy:/);
  assert.match(out, /https:\/\/\[REDACTED\]@github\.com\/acme\/app\.git \(fetch\)/);
  assert.match(out, /\[Tiller redacted 2 secrets \(URL credentials\)/);
});

test('a plain user in an ssh URL, an email address and ordinary text are left alone, with no marker', () => {
  const text = 'ssh://git@github.com/acme/app.git\nmail me at dev@example.com\nsk-short\nskip-this-word';
  assert.equal(redactToolResult(text), text);
});

test('the trace redactor is the same one', () => {
  assert.equal(redactSecrets('url https://u:p4ss@h.example/x'), 'url https://[REDACTED]@h.example/x');
});
