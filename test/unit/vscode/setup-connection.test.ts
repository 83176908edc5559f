import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { modelProblem, normaliseBaseUrl, testConnection } from '../../../extension/vscode/setup-connection.js';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server };
}

test('lists the models and sends the key as a bearer token', async () => {
  let auth: string | undefined;
  let path: string | undefined;
  const { url, server } = await serve((req, res) => {
    auth = req.headers.authorization;
    path = req.url;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: [{ id: 'b-model' }, { id: 'a-model' }] }));
  });
  try {
    assert.deepEqual(await testConnection(`${url}/`, 'sk-1'), { ok: true, models: ['a-model', 'b-model'] });
    assert.equal(auth, 'Bearer sk-1');
    assert.equal(path, '/v1/models');
  } finally {
    server.close();
  }
});

test('a refused key, an HTML page, an error status and an empty list each say what is wrong', async () => {
  const { url, server } = await serve((req, res) => {
    const key = req.headers.authorization;
    if (key === 'Bearer bad') {
      res.statusCode = 401;
      res.end('{"error":"invalid key"}');
    } else if (key === 'Bearer html') res.end('<!DOCTYPE html><html>login</html>');
    else if (key === 'Bearer boom') {
      res.statusCode = 500;
      res.end('kaput');
    } else res.end('{"data": []}');
  });
  try {
    const bad = await testConnection(url, 'bad');
    assert.equal(bad.ok || bad.problem, 'unauthorized');
    assert.match(bad.ok ? '' : bad.message, /401: the API key was refused/);
    const html = await testConnection(url, 'html');
    assert.equal(html.ok || html.problem, 'not_json');
    assert.match(html.ok ? '' : html.message, /a web page \(HTML\)/);
    const boom = await testConnection(url, 'boom');
    assert.match(boom.ok ? '' : boom.message, /500.*kaput/);
    // An empty list is no error: the name is typed, and the note says why there was nothing to pick.
    const none = await testConnection(url, undefined);
    assert.equal(none.ok, true);
    assert.deepEqual(none.ok && none.models, []);
    assert.match((none.ok && none.note) || '', /lists no models.*type the name/);
  } finally {
    server.close();
  }
});

test('an endpoint without a /models route (404, 405, 501) connects with an empty list and a note saying why', async () => {
  let status = 404;
  const { url, server } = await serve((_req, res) => {
    res.statusCode = status;
    res.end('{"detail":"Not Found"}');
  });
  try {
    for (status of [404, 405, 501]) {
      const result = await testConnection(url, undefined);
      assert.equal(result.ok, true, `status ${status}`);
      assert.deepEqual(result.ok && result.models, []);
      assert.match((result.ok && result.note) || '', new RegExp(`/v1/models answered ${status}: this server does not list its models`));
      assert.match((result.ok && result.note) || '', /Type the model name/);
    }
    // Other failures stay failures: a 502 from a proxy is not "no list".
    status = 502;
    const broken = await testConnection(url, undefined);
    assert.equal(broken.ok || broken.problem, 'http_error');
  } finally {
    server.close();
  }
});

test('nothing listening is unreachable; a bad URL is refused before any request', async () => {
  const { url, server } = await serve(() => {});
  server.close();
  await new Promise((r) => server.once('close', r));
  const down = await testConnection(url, undefined);
  assert.equal(down.ok || down.problem, 'unreachable');
  assert.match(down.ok ? '' : down.message, /ECONNREFUSED/);
  assert.equal(normaliseBaseUrl('localhost:1234').ok, false);
  assert.match((normaliseBaseUrl('file:///etc/passwd') as { message: string }).message, /http:\/\/ or https:\/\//);
  assert.match((normaliseBaseUrl('https://user:key@x.test/v1') as { message: string }).message, /key field/);
});

test('a model the endpoint does not list is named', () => {
  assert.equal(modelProblem('gpt-x', ['a', 'b']), 'the endpoint has no model named "gpt-x"');
  assert.equal(modelProblem('a', ['a']), undefined);
});
