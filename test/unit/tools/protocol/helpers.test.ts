// Pure helpers of the protocol and OAuth modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { applyElicitationDefaults, checkElicitationAnswer } from '../../../../extension/core/tools/protocol/elicitation.js';
import { chooseRole, toSampleRequest } from '../../../../extension/core/tools/protocol/sampling.js';
import { cleanLogText } from '../../../../extension/core/tools/protocol/logging.js';
import { isStreamableUnsupported } from '../../../../extension/core/tools/protocol/http-connect.js';
import { isOpenableAuthorizationUrl, secretKeyFor, TillerOAuthProvider } from '../../../../extension/core/tools/oauth/provider.js';
import { createFileSecretStore } from '../../../../extension/core/tools/oauth/file-secret-store.js';
import { createRedirectListener } from '../../../../extension/core/tools/oauth/redirect-listener.js';

test('elicitation defaults fill only missing fields and ignore defaults of the wrong type', () => {
  const schema = { type: 'object', properties: { a: { type: 'string', default: 'x' }, b: { type: 'number', default: 2 }, c: { type: 'string', default: { evil: 1 } } } };
  assert.deepEqual(applyElicitationDefaults(schema, { a: 'given' }), { a: 'given', b: 2 });
});

test('an accepted answer missing a required field is refused with the field named', () => {
  const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
  const checked = checkElicitationAnswer(schema, { action: 'accept', content: {} });
  assert.equal(checked.ok, false);
  assert.match(checked.ok ? '' : checked.error, /`a` is required/);
});

test('sampling role follows the preferences; the token cap binds; tools are refused', () => {
  assert.equal(chooseRole(undefined), 'small');
  assert.equal(chooseRole({ intelligencePriority: 0.9, costPriority: 0.2 }), 'main');
  assert.equal(chooseRole({ intelligencePriority: 0.9, speedPriority: 0.95 }), 'small');
  const request = toSampleRequest('s', { messages: [{ role: 'user', content: { type: 'image', data: 'AA==', mimeType: 'image/png' } }], maxTokens: 1e9 }, 100);
  assert.equal(request.maxTokens, 100);
  assert.equal(request.messages[0]?.text, '[image content: image/png]');
  assert.throws(() => toSampleRequest('s', { messages: [], maxTokens: 1, tools: [] }, 100), /tools is not supported/);
});

test('log text loses control and bidi characters and is capped', () => {
  assert.equal(cleanLogText('a\u0007b\u202ec\nd'), 'abc\nd');
  assert.match(cleanLogText('x'.repeat(3000)), /… \(1000 more characters\)$/);
});

test('only 400, 404 and 405 from Streamable HTTP mean "try SSE"', () => {
  assert.equal(isStreamableUnsupported(new StreamableHTTPError(405, 'x')), true);
  assert.equal(isStreamableUnsupported(new StreamableHTTPError(404, 'x')), true);
  assert.equal(isStreamableUnsupported(new StreamableHTTPError(401, 'x')), false);
  assert.equal(isStreamableUnsupported(new StreamableHTTPError(500, 'x')), false);
  assert.equal(isStreamableUnsupported(new Error('405')), false);
});

test('authorization pages: https anywhere, http on loopback only', () => {
  assert.equal(isOpenableAuthorizationUrl(new URL('https://auth.example.com/a')), true);
  assert.equal(isOpenableAuthorizationUrl(new URL('http://127.0.0.1:9/a')), true);
  assert.equal(isOpenableAuthorizationUrl(new URL('http://localhost/a')), true);
  assert.equal(isOpenableAuthorizationUrl(new URL('http://auth.example.com/a')), false);
  assert.equal(isOpenableAuthorizationUrl(new URL('http://127.0.0.1.evil.com/a')), false);
  assert.equal(isOpenableAuthorizationUrl(new URL('javascript:alert(1)')), false);
  assert.equal(isOpenableAuthorizationUrl(new URL('file:///etc/passwd')), false);
});

test('credentials are keyed by server URL and refused when stored for another origin', async () => {
  assert.equal(secretKeyFor('https://a.example/mcp?x=1#f'), 'mcp-oauth:https://a.example/mcp');
  const values = new Map<string, string>();
  const secrets = { get: async (k: string) => values.get(k), set: async (k: string, v: string) => void values.set(k, v), delete: async (k: string) => void values.delete(k) };
  values.set(secretKeyFor('https://a.example/mcp'), JSON.stringify({ origin: 'https://evil.example', tokens: { access_token: 't', token_type: 'Bearer' } }));
  const provider = new TillerOAuthProvider({ serverName: 'a', serverUrl: 'https://a.example/mcp', secrets, openExternal: async () => undefined, redirect: createRedirectListener() });
  assert.equal(await provider.tokens(), undefined);
  await provider.saveTokens({ access_token: 'mine', token_type: 'Bearer' });
  assert.equal((await provider.tokens())?.access_token, 'mine');
  assert.throws(
    () => new TillerOAuthProvider({ serverName: 'b', serverUrl: 'http://remote.example/mcp', secrets, openExternal: async () => undefined, redirect: createRedirectListener() }),
    /needs an https URL/,
  );
});

test('the provider refuses to open a non-https authorization page', async () => {
  const opened: string[] = [];
  const provider = new TillerOAuthProvider({
    serverName: 'a',
    serverUrl: 'https://a.example/mcp',
    secrets: { get: async () => undefined, set: async () => undefined, delete: async () => undefined },
    openExternal: async (url) => void opened.push(url),
    redirect: createRedirectListener(),
  });
  await assert.rejects(provider.redirectToAuthorization(new URL('http://auth.example/authorize?state=s')), /non-https/);
  assert.deepEqual(opened, []);
});

test('the file secret store keeps secrets in a 0600 file and rejects a file that is not an object', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tiller-secrets-'));
  try {
    const store = createFileSecretStore(home);
    await Promise.all([store.set('a', '1'), store.set('b', '2')]);
    assert.equal(await store.get('a'), '1');
    assert.equal(await store.get('b'), '2');
    await store.delete('a');
    assert.equal(await store.get('a'), undefined);
    assert.equal(statSync(store.path).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, 'secrets')).mode & 0o777, 0o700);
    const other = join(home, 'bad');
    mkdirSync(join(other, 'secrets'), { recursive: true });
    writeFileSync(join(other, 'secrets', 'secrets.json'), '[1]');
    await assert.rejects(createFileSecretStore(other).get('a'), /not a JSON object/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('the redirect listener accepts only the state it waits for, on loopback', async () => {
  const listener = createRedirectListener();
  try {
    const url = await listener.start();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const code = listener.waitForCode('good', 10_000);
    assert.equal((await fetch(`${url}?code=stolen&state=bad`)).status, 400);
    assert.equal((await fetch(`${url}?code=c1&state=good`)).status, 200);
    assert.equal(await code, 'c1');
    const failing = assert.rejects(listener.waitForCode('s2', 10_000), /authorization failed: nope/);
    await fetch(`${url}?error=access_denied&error_description=nope&state=s2`);
    await failing;
  } finally {
    await listener.close();
  }
});
