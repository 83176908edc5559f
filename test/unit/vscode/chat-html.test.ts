import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatHtml, contentSecurityPolicy, makeNonce } from '../../../extension/vscode/chat-html.js';

const input = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://r/dist/webview.js', styleUri: 'https://r/media/chat.css' };

function csp(html: string): string {
  const m = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(m, 'no CSP meta tag');
  return m[1]!.replace(/&#39;|&quot;/g, "'");
}

test('the CSP allows nothing by default, scripts only with the nonce, styles from the extension', () => {
  const html = chatHtml({ ...input, nonce: 'N0nce' });
  const policy = csp(html);
  assert.match(policy, /^default-src 'none';/);
  assert.match(policy, /script-src 'nonce-N0nce'(;|$)/);
  assert.match(policy, new RegExp(`style-src ${input.cspSource.replace(/[.+]/g, '\\$&')} 'nonce-N0nce'`));
  assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(policy), policy);
  assert.equal(policy, contentSecurityPolicy(input.cspSource, 'N0nce'));
});

test('every script carries the nonce and comes from the bundle', () => {
  const html = chatHtml({ ...input, nonce: 'abc' });
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
  assert.equal(scripts.length, 1);
  assert.match(scripts[0]!, /nonce="abc"/);
  assert.match(scripts[0]!, /src="https:\/\/r\/dist\/webview\.js"/);
});

test('a fresh nonce each time, long enough not to guess', () => {
  const a = makeNonce();
  assert.notEqual(a, makeNonce());
  assert.match(a, /^[A-Za-z0-9_-]{24}$/);
  assert.notEqual(/nonce="([^"]+)"/.exec(chatHtml(input))?.[1], /nonce="([^"]+)"/.exec(chatHtml(input))?.[1]);
});

test('resource URIs are attribute-escaped', () => {
  const html = chatHtml({ ...input, scriptUri: 'https://r/x"><script>alert(1)</script>' });
  assert.equal([...html.matchAll(/<script/g)].length, 1);
});
