import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerArgs } from '../../../mcp-servers/common/args.js';
import { rejectForeignRequest } from '../../../mcp-servers/common/http-guard.js';

test('--root is required and resolved; --http and --idle-ms are validated', () => {
  assert.throws(() => parseServerArgs([]), /--root DIR is required/);
  assert.deepEqual(parseServerArgs(['--root', '/tmp/x', '--http', '8080', '--idle-ms', '500']), { root: '/tmp/x', httpPort: 8080, idleMs: 500, allowPaths: [], gitDirs: [], readPaths: [] });
  assert.throws(() => parseServerArgs(['--root', '/x', '--http', 'abc']), /--http needs a whole number/);
  assert.throws(() => parseServerArgs(['--root', '/x', '--http', '70000']), /between 1 and 65535/);
  assert.throws(() => parseServerArgs(['--root', '/x', '--verbose']), /unknown argument "--verbose"/);
});

test('--policy FILE names the harness\'s effective policy, for both built-in servers', () => {
  assert.deepEqual(parseServerArgs(['--root', '/tmp/x', '--policy', '/home/u/.tiller/run/s/policy.json']), { root: '/tmp/x', httpPort: undefined, idleMs: undefined, allowPaths: [], gitDirs: [], readPaths: [], policyFile: '/home/u/.tiller/run/s/policy.json' });
  assert.throws(() => parseServerArgs(['--root', '/x', '--policy']), /--policy needs a file/);
});

test('Host must be this loopback port; Origin, when present, must be loopback', () => {
  assert.equal(rejectForeignRequest(4000, '127.0.0.1:4000', undefined), undefined);
  assert.equal(rejectForeignRequest(4000, 'localhost:4000', 'http://localhost:3000'), undefined);
  assert.match(rejectForeignRequest(4000, 'evil.example:4000', undefined) ?? '', /Host "evil.example:4000" is not allowed/);
  assert.match(rejectForeignRequest(4000, '127.0.0.1:4001', undefined) ?? '', /not allowed/);
  assert.match(rejectForeignRequest(4000, undefined, undefined) ?? '', /not allowed/);
  assert.match(rejectForeignRequest(4000, '127.0.0.1:4000', 'https://evil.example') ?? '', /not a loopback origin/);
  assert.match(rejectForeignRequest(4000, '127.0.0.1:4000', 'null') ?? '', /not a URL/);
});
