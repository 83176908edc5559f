// The front door's installers: what a nested install inherits, what a failure tells, and when a fetch is retried.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cleanInstallEnv, runInstall } from '../../../scripts/installers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tiller-installers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a nested install inherits nothing of the outer npm run', () => {
  const env = cleanInstallEnv(
    {
      HOME: '/home/u',
      npm_config_user_agent: 'npm/11 node/v20.20.2 linux x64',
      npm_config_nodedir: '/outer',
      npm_lifecycle_event: 'start',
      npm_package_name: 'tiller',
      NPM_CONFIG_PREFIX: '/p',
      INIT_CWD: '/repo',
      PATH: '/repo/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:/usr/bin',
    },
    { npm_config_nodedir: '/node24' },
  );
  assert.deepEqual(env, { HOME: '/home/u', PATH: '/usr/bin', npm_config_nodedir: '/node24' });
});

test('a failed install names its log and shows the log\'s last lines', () => {
  const logFile = join(dir, 'fail.log');
  assert.throws(
    () => runInstall({ label: 'npm install thing', command: 'sh', args: ['-c', 'echo "npm error ERESOLVE could not resolve"; exit 3'], logFile, say: () => {} }),
    (e: Error) => e.message.includes(`Log: ${logFile}`) && e.message.includes('ERESOLVE could not resolve') && e.message.includes('exited with 3'),
  );
  // Not a registry fetch failure: tried once only.
  assert.equal(readFileSync(logFile, 'utf8').match(/=== .* attempt/g)?.length, 1);
});

test('a registry fetch failure is retried once, after the retry hook', () => {
  const logFile = join(dir, 'retry.log');
  const flag = join(dir, 'tried');
  let prepared = 0;
  runInstall({
    label: 'npm install flaky',
    command: 'sh',
    args: ['-c', `if [ -e ${flag} ]; then echo fetched; else : > ${flag}; echo "npm error code ECONNRESET"; exit 1; fi`],
    logFile,
    beforeRetry: () => prepared++,
    say: () => {},
  });
  assert.equal(prepared, 1);
  const log = readFileSync(logFile, 'utf8');
  assert.match(log, /attempt 1[\s\S]*ECONNRESET[\s\S]*attempt 2[\s\S]*fetched/);
});

test('a second registry failure fails with the log named', () => {
  const logFile = join(dir, 'twice.log');
  assert.throws(
    () => runInstall({ label: 'npm install down', command: 'sh', args: ['-c', 'echo "request to registry failed, reason: getaddrinfo EAI_AGAIN"; exit 1'], logFile, say: () => {} }),
    /npm install down failed .*Log: /s,
  );
  assert.ok(existsSync(logFile));
  assert.equal(readFileSync(logFile, 'utf8').match(/=== .* attempt/g)?.length, 2);
});
