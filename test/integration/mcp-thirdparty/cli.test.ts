// `tiller run` with a workspace `.mcp.json` naming real third-party servers from the registry: the bundled CLI as a
// child process, the fixture model over HTTP. Consent, tool approval, deny rules and secrets, end to end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { startModelServer, type ModelServer, type ScriptedReply } from '../../fixtures/model-server.js';
import { readTrace } from '../../../extension/core/trace/read.js';
import { EVERYTHING, FILESYSTEM } from './servers.js';

let dist = '';
const models: ModelServer[] = [];
before(async () => {
  dist = await buildBundles();
});
after(async () => {
  await Promise.all(models.map((s) => s.close()));
});

const SECRET = 'sekrit-value-4b7e19c2a8';
// Workspace servers run in the sandbox, which shows the workspace but not this repository's node_modules where the
// test's servers are installed: that directory is allowed the way a user would allow a toolchain path.
const SERVER_MODULES = realpathSync(join(EVERYTHING, '..', '..', '..', '..'));

function setup(): { ws: string; home: string } {
  const ws = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-3p-cli-ws-')));
  const home = mkdtempSync(join(tmpdir(), 'tiller-3p-cli-home-'));
  writeFileSync(join(ws, 'notes.txt'), 'notes for the agent\n');
  writeFileSync(
    join(ws, '.mcp.json'),
    JSON.stringify({
      mcpServers: {
        everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], env: { API_KEY_X: '${env:MY_SECRET_X}' } },
        filesystem: { command: process.execPath, args: [FILESYSTEM, '${workspaceFolder}'] },
      },
    }),
  );
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'permissions.json'), JSON.stringify({ deny: ['mcp(filesystem.write_file)'] }));
  return { ws, home };
}

async function model(script: ScriptedReply[]): Promise<ModelServer> {
  const m = await startModelServer({ script });
  models.push(m);
  return m;
}

function tiller(args: string[], home: string, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dist, 'cli.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, TILLER_HOME: home, MY_SECRET_X: SECRET, TILLER_TRACE_PROMPTS: '1', TILLER_SANDBOX_ALLOW_PATHS: SERVER_MODULES },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const call = (name: string, args: unknown) => ({ toolCalls: [{ name, arguments: args }] });
const lastToolMessage = (m: ModelServer, i: number) => (m.requests[i]!.body.messages as { role: string; content: string }[]).at(-1)!.content;
const offeredTools = (m: ModelServer) => (m.requests[0]!.body.tools as { function: { name: string } }[]).map((t) => t.function.name);

test('--approve all --trust-workspace-mcp: third-party tools run, the deny rule binds, secrets stay out of the trace', async () => {
  const { ws, home } = setup();
  const m = await model([
    call('everything__echo', { message: 'ping-3p' }),
    call('filesystem__read_text_file', { path: join(ws, 'notes.txt') }),
    call('filesystem__write_file', { path: join(ws, 'evil.txt'), content: 'x' }),
    call('everything__get-env', {}),
    { text: 'done' },
  ]);
  const trace = join(home, 'run.jsonl');
  const r = await tiller(['run', 'use the tools', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--trust-workspace-mcp', '--trace', trace], home);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /starting MCP server "everything" from \.mcp\.json \(--trust-workspace-mcp\): command: /);
  assert.ok(offeredTools(m).includes('everything__echo') && offeredTools(m).includes('filesystem__write_file'));
  assert.match(lastToolMessage(m, 1), /ping-3p/);
  assert.match(lastToolMessage(m, 2), /notes for the agent/);
  assert.match(lastToolMessage(m, 3), /Denied by the permission rules \(deny mcp\(filesystem\.write_file\)\)/);
  assert.equal(existsSync(join(ws, 'evil.txt')), false);
  // The server really had the secret (get-env shows its environment, where the redactor found it), but neither the
  // model nor the trace ever sees it. Changed with issue 12: the model used to be sent the value; tool results are
  // now redacted before the model sees them, with a marker saying so.
  assert.ok(!lastToolMessage(m, 4).includes(SECRET), 'the secret reached the model');
  assert.match(lastToolMessage(m, 4), /\[REDACTED\][\s\S]*\[Tiller redacted \d+ secrets? \(configured secret/);
  const text = readFileSync(trace, 'utf8');
  assert.ok(text.includes('everything.get-env'));
  assert.ok(!text.includes(SECRET), 'the secret leaked into the trace');
  const { events } = readTrace(trace);
  const deny = events.find((e) => e.type === 'policy' && e.decision === 'deny');
  assert.ok(deny && deny.type === 'policy' && deny.action.kind === 'mcp' && deny.action.tool === 'filesystem.write_file');
  const reviews = events.filter((e) => e.type === 'mcp_tools');
  assert.deepEqual(reviews.map((e) => e.type === 'mcp_tools' && `${e.server}:${e.approved}:${e.changed}`).sort(), ['everything:true:false', 'filesystem:true:false']);
  // A one-off flag leaves no stored consent behind.
  assert.equal(existsSync(join(home, 'consent.json')), false);
});

test('without consent nothing from the workspace starts', async () => {
  const { ws, home } = setup();
  const m = await model([{ text: 'nothing to do' }]);
  const r = await tiller(['run', 'hi', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'never'], home);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /MCP server "everything" from \.mcp\.json not started: it needs your consent/);
  assert.ok(!offeredTools(m).some((t) => t.startsWith('everything__') || t.startsWith('filesystem__')));
});

test('--approve ask: consent and tool approval on the terminal, remembered for the next run; ask applies to the tool', async () => {
  const { ws, home } = setup();
  // Two consents, two tool lists, then the echo call itself.
  const m = await model([call('everything__echo', { message: 'asked' }), { text: 'done' }]);
  const args = ['run', 'echo', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'ask'];
  const first = await tiller(args, home, 'y\ny\ny\ny\ny\n');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /wants to start the MCP server "everything":\n {2}command: .*server-everything.*stdio\nStart it\? \[y\/N\]/);
  assert.match(first.stderr, /offer the MCP server everything's tools to the model/);
  assert.match(first.stderr, /- everything\.echo \[new\]\n {2}Echoes back the input/);
  assert.match(first.stderr, /call the tool everything\.echo with \{"message":"asked"\}/);
  assert.match(lastToolMessage(m, 1), /asked/);
  const consent = JSON.parse(readFileSync(join(home, 'consent.json'), 'utf8')) as { grants: { name: string }[] };
  assert.deepEqual(consent.grants.map((g) => g.name).sort(), ['everything', 'filesystem']);

  // Second run: only the tool call is asked about.
  const m2 = await model([call('everything__echo', { message: 'again' }), { text: 'done' }]);
  const second = await tiller([...args.slice(0, 5), m2.baseUrl, ...args.slice(6)], home, 'y\n');
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /Start it\?|offer the MCP server/);
  assert.match(lastToolMessage(m2, 1), /again/);
});
