// The whole test command (README: `npm run test:all`, what CI runs): installs what is missing, then typecheck, lint,
// build, unit and integration tests, the fault suite, the end-to-end tests in a real VS Code (code-server, installed
// and cached by scripts/vscode-server.mjs) and, in CI, the front door from a fresh clone on an empty cache. Stops at
// the first failing stage and says which.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RUNTIME_DEBIAN_PACKAGES, cleanInstallEnv, ensureDebianPackages, installLogDir, runInstall } from './installers.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** @param {number} started */
function seconds(started) {
  return ((Date.now() - started) / 1000).toFixed(1);
}

/** @param {string} name @param {() => void} action */
function stage(name, action) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  try {
    action();
  } catch (error) {
    console.error(`\n=== ${name} FAILED after ${seconds(started)} s: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  console.log(`=== ${name} ok (${seconds(started)} s)`);
}

/** @param {string} name @param {string[]} args @param {Record<string, string>} [env] */
function npmStage(name, args, env = {}) {
  stage(`${name}: npm ${args.join(' ')}`, () => {
    const r = spawnSync(npm, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`exit ${r.status ?? r.signal}`);
  });
}

// npm ci when node_modules is missing or older than the lock file; its output goes to a log a failure names.
const lockTime = statSync('package-lock.json').mtimeMs;
const installed = existsSync('node_modules/.package-lock.json') ? statSync('node_modules/.package-lock.json').mtimeMs : 0;
if (installed < lockTime) {
  stage('install: npm ci', () => {
    const logFile = join(installLogDir(), `npm-ci-${Date.now()}.log`);
    console.log(`(log: ${logFile})`);
    runInstall({ label: 'npm ci', command: npm, args: ['ci', '--no-audit', '--no-fund'], env: cleanInstallEnv(), logFile });
  });
}
stage(`system packages: ${RUNTIME_DEBIAN_PACKAGES.join(' ')}`, () => {
  if (!ensureDebianPackages(RUNTIME_DEBIAN_PACKAGES, { why: 'the sandbox and security tests' })) console.log('all present');
});

npmStage('typecheck', ['run', '--silent', 'typecheck']);
npmStage('lint', ['run', '--silent', 'lint']);
npmStage('build', ['run', '--silent', 'build']);
npmStage('unit and integration tests', ['test', '--silent']);
npmStage('fault suite', ['run', '--silent', 'test:faults']);
if (process.env.TILLER_SKIP_E2E === '1') console.log('\n=== e2e skipped (TILLER_SKIP_E2E=1)');
else npmStage('end-to-end tests in code-server', ['run', '--silent', 'test:e2e']);
// The front door as a newcomer meets it: a fresh clone, a new home directory and an empty code-server cache, through
// npm. It installs everything again (minutes), so it runs in CI and when asked for.
if (process.env.CI === 'true' || process.env.TILLER_FRESH_TEST === '1') npmStage('front door from a fresh clone', ['run', '--silent', 'test:frontdoor']);
else console.log('\n=== front door from a fresh clone skipped (runs in CI, or with TILLER_FRESH_TEST=1)');
console.log('\nall stages passed');
