// The README's main command as a newcomer types it, on a machine that has nothing cached: a fresh clone of this
// repository, a new home directory (so npm's own cache is empty too), an empty code-server cache, and `npm start --
// --smoke` run through npm. This is the class of failure that only shows on a new machine (an outer npm's environment
// leaking into a nested install, a missing install step): it installs everything from the registries, so it takes
// minutes and runs in CI (`npm run test:frontdoor`, or `TILLER_FRESH_TEST=1 npm run test:all`).
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { cleanInstallEnv } from '../../scripts/installers.mjs';
import { freePort } from '../../scripts/vscode-server.mjs';

const REPO_ROOT = resolve(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'tiller-fresh-'));
const clone = join(scratch, 'tiller');
const home = join(scratch, 'home');
const cache = join(scratch, 'code-server-cache');
const tmp = join(scratch, 'tmp');

interface Run {
  code: number | null;
  output: string;
  seconds: number;
}

/** `npm start -- --smoke` in the clone, with only what a user's shell would have plus `extra`. */
function npmStart(extra: Record<string, string>, timeoutMs: number): Promise<Run> {
  const started = Date.now();
  // A user's shell has none of the outer npm's variables; cleanInstallEnv drops the ones this test runner inherited.
  const env = cleanInstallEnv(process.env, { HOME: home, TILLER_VSCODE_CACHE: cache, TMPDIR: tmp, ...extra });
  delete env.XDG_CACHE_HOME;
  delete env.TILLER_TEST;
  return new Promise((done) => {
    const child = spawn('npm', ['start', '--', '--smoke'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output += chunk.toString();
      process.stdout.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

before(() => {
  for (const dir of [home, cache, tmp]) mkdirSync(dir, { recursive: true });
  // A clone of the committed tree, as CI has it: nothing built, nothing installed.
  const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone], { encoding: 'utf8' });
  assert.equal(cloned.status, 0, `git clone failed: ${cloned.stderr}`);
  assert.equal(existsSync(join(clone, 'node_modules')), false);
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test('npm start -- --smoke works the first time on an empty machine, and cleans up after itself', { timeout: 30 * 60_000 }, async () => {
  const port = await freePort();
  const run = await npmStart({ TILLER_PORT: String(port) }, 28 * 60_000);
  console.log(`[frontdoor] fresh npm start -- --smoke: exit ${run.code} in ${run.seconds.toFixed(1)} s`);
  assert.equal(run.code, 0, `npm start -- --smoke failed on a fresh machine:\n${run.output.slice(-4000)}`);
  assert.match(run.output, new RegExp(`127\\.0\\.0\\.1:${port}/\\?folder=.* answered 200`));
  assert.ok(existsSync(join(clone, 'node_modules', '.package-lock.json')), 'npm start installed the npm packages');
  assert.ok(existsSync(join(clone, 'dist', 'extension.js')), 'npm start built the extension');
  assert.ok(existsSync(join(cache, 'cs', '.tiller-complete')), 'code-server was installed into the empty cache');
  assert.ok(existsSync(join(cache, 'node24', '.tiller-complete')), 'the pinned Node was installed into the empty cache');
  // The throwaway workspace copy and the run folder are gone once the smoke run stops.
  assert.deepEqual(entries(join(cache, 'runs')), []);
  assert.deepEqual(entries(tmp).filter((n) => n.startsWith('tiller-workspace-')), []);
});

test('a busy or malformed TILLER_PORT fails before anything is built or copied, and leaves nothing behind', { timeout: 5 * 60_000 }, async () => {
  const port = await freePort();
  const holder: Server = createServer();
  await new Promise<void>((ok) => holder.listen(port, '127.0.0.1', ok));
  try {
    const busy = await npmStart({ TILLER_PORT: String(port) }, 4 * 60_000);
    assert.notEqual(busy.code, 0);
    assert.match(busy.output, new RegExp(`TILLER_PORT=${port} is already in use`));
    assert.doesNotMatch(busy.output, /building the extension/, 'the port is checked before the build');
  } finally {
    holder.close();
  }
  const malformed = await npmStart({ TILLER_PORT: 'eighty' }, 4 * 60_000);
  assert.notEqual(malformed.code, 0);
  assert.match(malformed.output, /TILLER_PORT must be a port number, got "eighty"/);
  assert.deepEqual(entries(join(cache, 'runs')), []);
  assert.deepEqual(entries(tmp).filter((n) => n.startsWith('tiller-workspace-')), []);
});
