import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeadTailBuffer } from '../../../mcp-servers/shell/output-buffer.js';
import { looksLikePrompt } from '../../../mcp-servers/shell/prompt-detect.js';
import { buildCommandEnv } from '../../../mcp-servers/shell/command-env.js';

test('output under the cap is kept whole', () => {
  const b = new HeadTailBuffer(100);
  b.append(Buffer.from('hello '));
  b.append(Buffer.from('world'));
  assert.equal(b.toString(), 'hello world');
  assert.equal(b.omittedBytes, 0);
});

test('output over the cap keeps head and tail with an omitted-bytes marker', () => {
  const b = new HeadTailBuffer(20);
  for (let i = 0; i < 10; i++) b.append(Buffer.from(`<${i}-chunk>`)); // 10 x 9 bytes
  assert.equal(b.totalBytes, 90);
  assert.equal(b.omittedBytes, 70);
  assert.equal(b.toString(), '<0-chunk><\n[... 70 bytes omitted ...]\n><9-chunk>');
});

test('one huge chunk is split between head and tail', () => {
  const b = new HeadTailBuffer(64 * 1024);
  b.append(Buffer.alloc(200_000, 'a'));
  const text = b.toString();
  assert.match(text, /\[\.\.\. 134464 bytes omitted \.\.\.\]/);
  assert.equal(Buffer.byteLength(text.replace(/\n\[\.\.\. \d+ bytes omitted \.\.\.\]\n/, '')), 64 * 1024);
});

test('prompts are recognised', () => {
  for (const p of ['Continue? ', 'Username:', 'Overwrite file? [y/N] ', 'Proceed (yes/no)? ', 'Are you sure (yes/no/[fingerprint])', 'Enter password', '[sudo] password for me: ', 'node> ', 'output\nDelete all? [Y/n]\n']) {
    assert.equal(looksLikePrompt(p), true, JSON.stringify(p));
  }
});

test('ordinary output is not a prompt', () => {
  for (const p of ['', 'Building...\n', 'done.\n', 'compiled 3 files\n\n', '<div>\n', 'a -> b\n', 'progress 50%']) {
    assert.equal(looksLikePrompt(p), false, JSON.stringify(p));
  }
});

test('the command environment is an allowlist', () => {
  const env = buildCommandEnv({
    PATH: '/bin',
    HOME: '/h',
    LANG: 'C.UTF-8',
    LC_ALL: 'C',
    OPENAI_API_KEY: 'sk-x',
    TILLER_API_KEY: 't',
    AWS_SECRET_ACCESS_KEY: 'a',
    GITHUB_TOKEN: 'g',
    NODE_OPTIONS: '--require evil.js',
    TERM: 'xterm',
  });
  assert.deepEqual(Object.keys(env).sort(), ['CI', 'GIT_PAGER', 'GIT_TERMINAL_PROMPT', 'HOME', 'LANG', 'LC_ALL', 'PAGER', 'PATH', 'TERM']);
  assert.equal(env.TERM, 'dumb');
  assert.equal(env.CI, '1');
});
