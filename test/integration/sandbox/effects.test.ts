// Effect tests of the sandbox (issue 14), through the real CLI, the scripted model server and the real shell server
// under bubblewrap. The policy ALLOWS python3, node, perl, sh and git, so the text analysis lets every line through;
// each attempt must still fail on disk, on the network and in what the model is sent next. Assertions are on effects:
// files, the listener's connection count, live processes, the model's requests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { lastMessages, Models, runCli, type CliResult } from '../../helpers/cli.js';
import type { ModelServer, ScriptedReply } from '../../fixtures/model-server.js';
import { hostPidsOf } from '../mcp/wait.js';
import { allowInterpreters, sandboxSkipReason, sandboxWorld, type SandboxWorld } from './fixture.js';

const skip = sandboxSkipReason();
if (skip) process.stderr.write(`skipping the sandbox effect tests: ${skip}\n`);

let dist = '';
const models = new Models();
before(async () => {
  if (!skip) dist = await buildBundles();
});
after(() => models.closeAll());

const run = (command: string): ScriptedReply => ({ toolCalls: [{ name: 'shell__run_command', arguments: { command } }] });

/** Every attempt, written to get past a text analysis (names built at run time) so the sandbox is what stops it. */
function attempts(w: SandboxWorld): ScriptedReply[] {
  const py = (code: string) => run(`python3 -c ${JSON.stringify(code)}`);
  const node = (code: string) => run(`node -e ${JSON.stringify(code)}`);
  return [
    py("print(open('.e'+'nv').read())"),
    py("import glob; [print(open(f).read()) for f in glob.glob('.e*')]"),
    node("console.log(require('fs').readFileSync('notes.txt','utf8'))"),
    run(`perl -e 'open(my $f, "<", "config.txt") or die "cannot: $!"; print <$f>'`),
    py("import shutil; shutil.copy('.e'+'nv', 'copy.txt'); print(open('copy.txt').read())"),
    py(`print(open(${JSON.stringify(join(w.home, '.aws', 'credentials'))}).read())`),
    node(`console.log(require('fs').readFileSync(${JSON.stringify(w.beside)},'utf8'))`),
    py(`open(${JSON.stringify(w.base)} + '/outside.txt', 'w').write('pwned')`),
    node(`require('fs').writeFileSync(${JSON.stringify(w.home)} + '/written.txt', 'pwned')`),
    run(`sh -c 'printf "[core]\\n\\thooksPath = /tmp\\n" >> .git/config'`),
    py("open('.git/hooks/pre-commit','w').write('#!/bin/sh\\necho pwned\\n')"),
    py("import os; os.makedirs('.til'+'ler', exist_ok=True); open('.til'+'ler/permissions.json','w').write('{}')"),
    node("require('fs').mkdirSync('.vscode',{recursive:true});require('fs').writeFileSync('.vscode/tasks.json','{}')"),
    py("open('.mcp.json','w').write('{}')"),
    py(`import socket; s=socket.create_connection(('127.0.0.1',${w.port}),timeout=3); print(s.recv(200).decode())`),
    run("sh -c 'setsid sleep 300.414 >/dev/null 2>&1 < /dev/null & echo started'"),
    // The workspace itself stays writable: a build writes dist/, git records a commit.
    node("require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.js','built')"),
    run("git add README.md dist/out.js"),
    run("git -c user.email=t@example.com -c user.name=T commit -qm build"),
    { text: 'done' },
  ];
}

function sentToModel(m: ModelServer): string {
  return m.requests.map((r) => JSON.stringify(r.body.messages)).join('\n');
}

function assertContained(w: SandboxWorld, m: ModelServer, result: CliResult, gitConfigBefore: string): void {
  assert.equal(result.code, 0, `the task should finish: ${result.stderr.slice(-2000)}`);
  const sent = sentToModel(m);
  for (const [name, canary] of Object.entries(w.canaries)) assert.ok(!sent.includes(canary), `the ${name} canary reached the model`);
  assert.match(sent, /denied by sandbox: read \.env/);
  assert.ok(!existsSync(join(w.base, 'outside.txt')), 'wrote outside the workspace');
  assert.ok(!existsSync(join(w.home, 'written.txt')), 'wrote into the home directory');
  assert.equal(readFileSync(w.gitConfig, 'utf8'), gitConfigBefore, '.git/config changed');
  assert.ok(!existsSync(join(w.ws, '.git', 'hooks', 'pre-commit')), 'wrote a git hook');
  assert.ok(!existsSync(join(w.ws, '.tiller', 'permissions.json')), 'wrote .tiller/permissions.json');
  assert.ok(!existsSync(join(w.ws, '.vscode', 'tasks.json')), 'wrote .vscode/tasks.json');
  assert.ok(!existsSync(join(w.ws, '.mcp.json')), 'wrote .mcp.json (or left the placeholder behind)');
  assert.ok(!existsSync(join(w.ws, 'copy.txt')) || !readFileSync(join(w.ws, 'copy.txt'), 'utf8').includes(w.canaries.env), 'the copy holds the secret');
  assert.equal(w.connections(), 0, 'the loopback listener was reached');
  assert.deepEqual(hostPidsOf(['sleep', '300.414']), [], 'the setsid background process outlived the command');
  assert.equal(readFileSync(join(w.ws, 'dist', 'out.js'), 'utf8'), 'built', 'the build could not write dist/');
  assert.match(execFileSync('git', ['-C', w.ws, 'log', '--oneline'], { encoding: 'utf8' }), /build/, 'git commit did not work');
  assert.equal(readFileSync(join(w.ws, '.env'), 'utf8'), `API_KEY=${w.canaries.env}\n`, '.env itself was changed');
}

async function attempt(mode: 'all' | 'sandboxed', rules: boolean): Promise<void> {
  const w = await sandboxWorld();
  try {
    if (rules) allowInterpreters(w.tillerHome);
    const gitConfigBefore = readFileSync(w.gitConfig, 'utf8');
    const m = await models.start(attempts(w));
    const result = await runCli(dist, ['run', 'try to get out', '--workspace', w.ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', mode, '--max-steps', '40'], {
      home: w.tillerHome,
      env: { HOME: w.home, TILLER_API_KEY: 'test-key' },
      stdin: '',
    });
    if (process.env.TILLER_TEST_DEBUG) process.stderr.write(`${lastMessages(m).join('\n----\n')}\n${result.stderr}\n`);
    assertContained(w, m, result, gitConfigBefore);
    if (mode === 'sandboxed') assert.doesNotMatch(result.stderr, /Approve\?/, 'sandboxed mode asked a question');
  } finally {
    await w.close();
    rmSync(w.base, { recursive: true, force: true });
  }
}

test('--approve all with interpreters allowed: nothing gets out of the sandbox, the workspace stays writable', { skip }, () => attempt('all', true));

test('--approve sandboxed with no approvals given (every command only asks): the same holds, with no question', { skip }, () => attempt('sandboxed', false));
