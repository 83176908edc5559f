// OAuth for HTTP servers against a real authorization server fixture on 127.0.0.1 (test/fixtures/mcp/oauth-server.ts):
// discovery, registration, PKCE, the resource parameter, token storage in a 0600 file, reuse of stored tokens, tokens
// kept to their own server, and no authorization page opened unless it is https (or loopback).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolHost } from '../../../extension/core/tools/host.js';
import { createFileSecretStore } from '../../../extension/core/tools/oauth/file-secret-store.js';
import { TillerOAuthProvider } from '../../../extension/core/tools/oauth/provider.js';
import { createRedirectListener } from '../../../extension/core/tools/oauth/redirect-listener.js';
import type { SecretStore } from '../../../extension/core/ports.js';
import type { ServerSpec } from '../../../extension/core/tools/types.js';
import { startOAuthFixture } from '../../fixtures/mcp/oauth-server.js';

let home: string;
before(() => {
  home = mkdtempSync(join(tmpdir(), 'tiller-oauth-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

/** Plays the browser: follows the authorization page's redirect back to Tiller's listener. */
function browser(opened: string[]) {
  return async (url: string) => {
    opened.push(url);
    const page = await fetch(url, { redirect: 'manual' });
    const location = page.headers.get('location');
    if (location === null) throw new Error(`the authorization page answered ${page.status} without a redirect`);
    await fetch(location);
  };
}

function hostFor(specs: ServerSpec[], secrets: SecretStore, opened: string[]) {
  const listeners: ReturnType<typeof createRedirectListener>[] = [];
  const host = createToolHost(specs, {
    connectTimeoutMs: 10_000,
    authProviderFor: (spec) => {
      if (spec.transport === 'stdio' || spec.name !== 'secured') return undefined;
      const redirect = createRedirectListener();
      listeners.push(redirect);
      return new TillerOAuthProvider({ serverName: spec.name, serverUrl: spec.url, secrets, openExternal: browser(opened), redirect });
    },
  });
  return {
    host,
    close: async () => {
      await host.close();
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}

test('an OAuth server is authorized with discovery, registration, PKCE S256 and the resource parameter; tokens are stored and reused', async () => {
  const fixture = await startOAuthFixture();
  const secrets = createFileSecretStore(join(home, 'first'));
  const opened: string[] = [];
  const spec: ServerSpec = { name: 'secured', transport: 'http', url: fixture.mcpUrl };
  try {
    const first = hostFor([spec], secrets, opened);
    try {
      const result = await first.host.callTool('secured.log', { level: 'info', message: 'hi' });
      assert.equal(result.content, 'logged');
    } finally {
      await first.close();
    }
    assert.equal(opened.length, 1);
    const authorize = fixture.authorizeParams[0];
    assert.ok(authorize !== undefined);
    assert.equal(authorize.get('code_challenge_method'), 'S256');
    assert.equal(authorize.get('resource'), fixture.mcpUrl);
    assert.match(authorize.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.ok(fixture.requests.includes('GET /.well-known/oauth-protected-resource/mcp'));
    assert.ok(fixture.requests.includes('POST /register'));
    assert.equal(fixture.tokenParams[0]?.get('resource'), fixture.mcpUrl);

    assert.equal(statSync(secrets.path).mode & 0o777, 0o600);
    assert.match(readFileSync(secrets.path, 'utf8'), /token-/);

    // A new session finds the stored token and goes straight in.
    const second = hostFor([spec], secrets, opened);
    try {
      assert.ok((await second.host.listTools()).some((t) => t.name === 'secured.log'));
    } finally {
      await second.close();
    }
    assert.equal(opened.length, 1, 'no second sign-in');
  } finally {
    await fixture.close();
  }
});

test('the token for one server is never sent to another', async () => {
  const fixture = await startOAuthFixture();
  const seen: (string | undefined)[] = [];
  const other = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/mcp`;
  const opened: string[] = [];
  const session = hostFor(
    [
      { name: 'secured', transport: 'http', url: fixture.mcpUrl },
      { name: 'plain', transport: 'http', url: otherUrl },
    ],
    createFileSecretStore(join(home, 'second')),
    opened,
  );
  try {
    assert.equal((await session.host.callTool('secured.log', { level: 'info', message: 'x' })).content, 'logged');
    assert.ok(seen.length > 0, 'the other server was contacted');
    assert.deepEqual(seen.filter((h) => h !== undefined), []);
  } finally {
    await session.close();
    other.closeAllConnections();
    other.close();
    await fixture.close();
  }
});

test('an authorization page that is not https is never opened', async () => {
  const fixture = await startOAuthFixture({ authorizationEndpoint: 'http://auth.example.com/authorize' });
  const opened: string[] = [];
  const session = hostFor([{ name: 'secured', transport: 'http', url: fixture.mcpUrl }], createFileSecretStore(join(home, 'third')), opened);
  try {
    assert.deepEqual(await session.host.listTools(), []);
    assert.deepEqual(opened, []);
    assert.match(session.host.servers()[0]?.lastError ?? '', /refusing to open a non-https authorization page/);
  } finally {
    await session.close();
    await fixture.close();
  }
});
