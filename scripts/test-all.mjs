// The whole test command (README: `npm run test:all`): installs what is missing, then typecheck, lint, build,
// unit and integration tests, and the end-to-end tests in a real VS Code (code-server, installed and cached by
// scripts/vscode-server.mjs). Stops at the first failing stage and says which.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function stage(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n=== ${name} FAILED (exit ${r.status ?? r.signal}) after ${secs} s`);
    process.exit(r.status || 1);
  }
  console.log(`=== ${name} ok (${secs} s)`);
}

// npm ci when node_modules is missing or older than the lock file.
const lockTime = statSync('package-lock.json').mtimeMs;
const installed = existsSync('node_modules/.package-lock.json') ? statSync('node_modules/.package-lock.json').mtimeMs : 0;
if (installed < lockTime) stage('install', npm, ['ci', '--no-audit', '--no-fund']);

stage('typecheck', npm, ['run', '--silent', 'typecheck']);
stage('lint', npm, ['run', '--silent', 'lint']);
stage('build', npm, ['run', '--silent', 'build']);
stage('unit and integration tests', npm, ['test', '--silent']);
stage('fault suite', npm, ['run', '--silent', 'test:faults']);
if (process.env.TILLER_SKIP_E2E === '1') console.log('\n=== e2e skipped (TILLER_SKIP_E2E=1)');
else if (existsSync('test/e2e')) stage('end-to-end tests in code-server', npm, ['run', '--silent', 'test:e2e']);
console.log('\nall stages passed');
