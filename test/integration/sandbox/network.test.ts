// The sandbox's network, for real: bubblewrap's empty network namespace, the filtering proxy on a bound Unix socket
// and the bridge inside. A loopback HTTP server stands in for "a host" (no network here but loopback): with no rule
// nothing reaches it, `net(*)` still does not (loopback must be named), `net(127.0.0.1)` does, a deny beats the allow,
// and an escalation a person granted opens it for one run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxRunner, type Escalation } from '../../../extension/core/sandbox/runner.js';
import { findSandboxDenials } from '../../../extension/core/sandbox/denials.js';
import type { RawRules } from '../../../extension/core/policy/rules.js';
import { sandboxSkipReason } from './fixture.js';

const skip = sandboxSkipReason();
let server: Server;
let port = 0;
let hits = 0;
let base = '';
before(async () => {
  if (skip) return;
  base = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-sbx-net-')));
  server = createServer((_req, res) => {
    hits++;
    res.end('LOOPBACK-BODY');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
after(() => {
  server?.close();
  if (base) rmSync(base, { recursive: true, force: true });
});

async function fetchInside(rules: RawRules, escalation?: Escalation): Promise<{ out: string; denials: string[] }> {
  const runner = createSandboxRunner({
    policy: { version: 1, workspaceRoots: [base], caseInsensitive: false, userRules: rules, projectRules: {} },
    mode: 'required',
    home: join(base, 'no-home'),
  });
  // python's urllib honours http_proxy; the bridge makes it 127.0.0.1:3128 inside the namespace.
  const command = `python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:${port}/', timeout=5).read().decode())"`;
  try {
    const p = await runner.prepare(command, base, { PATH: '/usr/bin:/bin', HOME: join(base, 'no-home') }, escalation);
    const out = await new Promise<string>((resolve) => {
      const child = spawn(p.file, p.args, { env: p.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.on('close', () => resolve(text));
    });
    const { refusals } = await p.finish();
    if (process.env.TILLER_TEST_DEBUG) process.stderr.write(`${command}\n${out}\n`);
    return { out, denials: findSandboxDenials(out, command, base, p.plan!, refusals).map((d) => `${d.kind} ${d.target}: ${d.why}`) };
  } finally {
    runner.close();
  }
}

test('no net rule: the loopback server is unreachable and the result says the network is off', { skip }, async () => {
  const before = hits;
  const r = await fetchInside({});
  assert.doesNotMatch(r.out, /LOOPBACK-BODY/);
  assert.equal(hits, before);
  assert.ok(r.denials.some((d) => d.startsWith('network')), r.denials.join('\n'));
});

test('net(*) does not include loopback: the proxy refuses it and says why', { skip }, async () => {
  const before = hits;
  const r = await fetchInside({ allow: ['net(*)'] });
  assert.doesNotMatch(r.out, /LOOPBACK-BODY/);
  assert.equal(hits, before);
  assert.ok(r.denials.some((d) => d.startsWith(`network 127.0.0.1:${port}`) && /loopback or private/.test(d)), r.denials.join('\n'));
});

test('net(127.0.0.1) names it: the request goes through the proxy', { skip }, async () => {
  const before = hits;
  const r = await fetchInside({ allow: ['net(127.0.0.1)'] });
  assert.match(r.out, /LOOPBACK-BODY/);
  assert.equal(hits, before + 1);
});

test('a deny beats the allow and an escalation alike', { skip }, async () => {
  const before = hits;
  const r = await fetchInside({ allow: ['net(127.0.0.1)'], deny: ['net(127.0.0.*)'] }, { network: ['127.0.0.1'] });
  assert.doesNotMatch(r.out, /LOOPBACK-BODY/);
  assert.equal(hits, before);
});

test('an escalation granted for one run opens that host for that run only', { skip }, async () => {
  const before = hits;
  const granted = await fetchInside({}, { network: ['127.0.0.1'] });
  assert.match(granted.out, /LOOPBACK-BODY/);
  const next = await fetchInside({});
  assert.doesNotMatch(next.out, /LOOPBACK-BODY/);
  assert.equal(hits, before + 1);
});
