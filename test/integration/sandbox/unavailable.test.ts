// No sandbox on the machine: bubblewrap missing, or present but refused by the kernel (user namespaces off). The
// message names what is missing and how to get it; `--approve sandboxed` then asks for every command instead of
// running it unsandboxed; `tiller sandbox check` says so and exits 2. Faked with TILLER_BWRAP, which the real probe
// runs exactly as it would run bwrap.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { Models, runCli } from '../../helpers/cli.js';
import { detectSandbox } from '../../../extension/core/sandbox/mechanism.js';
import { sandboxWorld } from './fixture.js';

let dist = '';
const models = new Models();
let fakes = '';
before(async () => {
  dist = await buildBundles();
  fakes = mkdtempSync(join(tmpdir(), 'tiller-fake-bwrap-'));
  // What bwrap prints where unprivileged user namespaces are disabled.
  writeFileSync(join(fakes, 'bwrap-refused'), '#!/bin/sh\necho "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n');
  chmodSync(join(fakes, 'bwrap-refused'), 0o755);
});
after(async () => {
  await models.closeAll();
  rmSync(fakes, { recursive: true, force: true });
});

test('the reasons name what is missing and how to get it', () => {
  const none = detectSandbox({ PATH: '/nonexistent' }, 'linux');
  assert.ok(!none.available);
  assert.match(none.missing, /bubblewrap/);
  assert.match(none.howToGet, /apt-get install bubblewrap/);
  const refused = detectSandbox({ PATH: '/usr/bin:/bin', TILLER_BWRAP: join(fakes, 'bwrap-refused') }, 'linux');
  assert.ok(!refused.available);
  assert.match(refused.missing, /No permissions to creating new namespace/);
  assert.match(refused.howToGet, /unprivileged_userns_clone/);
  const other = detectSandbox({}, 'win32');
  assert.ok(!other.available && /Linux .* and macOS/.test(other.howToGet));
});

for (const [label, env] of [
  ['no bwrap', () => ({ TILLER_BWRAP: join(fakes, 'no-such-bwrap') })],
  ['namespaces refused', () => ({ TILLER_BWRAP: join(fakes, 'bwrap-refused') })],
] as const) {
  test(`${label}: --approve sandboxed warns and asks for the command; declined, nothing ran`, async () => {
    const w = await sandboxWorld();
    try {
      const m = await models.start([{ toolCalls: [{ name: 'shell__run_command', arguments: { command: 'touch ran.txt' } }] }, { text: 'done' }]);
      const r = await runCli(dist, ['run', 'task', '--workspace', w.ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'sandboxed'], {
        home: w.tillerHome,
        env: { HOME: w.home, TILLER_API_KEY: 'k', ...env() },
        stdin: '',
      });
      assert.match(r.stderr, /warning: No sandbox: .*bubblewrap/);
      assert.match(r.stderr, /--approve sandboxed asks for every command instead/);
      assert.match(r.stderr, /Tiller wants to run the command: touch ran\.txt/);
      assert.match(r.stderr, /sandbox: none \(commands run unsandboxed\)/);
      assert.ok(!existsSync(join(w.ws, 'ran.txt')));
      const check = await runCli(dist, ['sandbox', 'check', '--workspace', w.ws], { home: w.tillerHome, env: { HOME: w.home, ...env() } });
      assert.equal(check.code, 2);
      assert.match(check.stdout, /No sandbox: .*bubblewrap/);
    } finally {
      await w.close();
      rmSync(w.base, { recursive: true, force: true });
    }
  });
}

test('a required sandbox that is missing refuses to run the command rather than run it bare', async () => {
  const { createSandboxRunner, SandboxUnavailableError } = await import('../../../extension/core/sandbox/runner.js');
  const runner = createSandboxRunner({
    policy: { version: 1, workspaceRoots: [fakes], caseInsensitive: false, userRules: {}, projectRules: {} },
    mode: 'required',
    home: fakes,
    env: { TILLER_BWRAP: join(fakes, 'no-such-bwrap') },
  });
  await assert.rejects(runner.prepare('true', fakes, {}), (e: unknown) => e instanceof SandboxUnavailableError && /apt-get install bubblewrap/.test((e as Error).message));
  const auto = createSandboxRunner({ policy: { version: 1, workspaceRoots: [fakes], caseInsensitive: false, userRules: {}, projectRules: {} }, mode: 'auto', home: fakes, env: { TILLER_BWRAP: join(fakes, 'no-such-bwrap') } });
  const bare = await auto.prepare('true', fakes, {});
  assert.equal(bare.sandboxed, false);
});
