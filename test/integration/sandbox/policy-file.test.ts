// The seam with the harness: the shell server reads the effective policy from `--policy FILE` and builds its sandbox
// from it, so a user's `deny read(...)` is hidden by the mount and an `ask write(...)` glob is read-only, on top of
// the defaults. Driven through the real host and the real bundled server.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createToolHost } from '../../../extension/core/tools/host.js';
import { builtinServerSpecs } from '../../../extension/core/tools/builtin.js';
import { POLICY_FILE_FLAG, writeEffectivePolicy } from '../../../extension/core/policy/effective.js';
import type { ServerSpec } from '../../../extension/core/tools/types.js';
import { buildBundles } from '../../helpers/bundles.js';
import { sandboxSkipReason, sandboxWorld, type SandboxWorld } from './fixture.js';

const skip = sandboxSkipReason();
let world: SandboxWorld | undefined;
after(async () => {
  await world?.close();
  if (world) rmSync(world.base, { recursive: true, force: true });
});

test('--policy FILE: user deny reads are hidden and ask-write globs read-only inside the sandbox', { skip }, async () => {
  world = await sandboxWorld();
  const w = world;
  mkdirSync(join(w.ws, 'private'));
  writeFileSync(join(w.ws, 'private', 'plan.txt'), 'PRIVATE-PLAN\n');
  mkdirSync(join(w.ws, 'generated'));
  writeFileSync(join(w.ws, 'generated', 'api.ts'), 'v1\n');
  const policyFile = join(w.base, 'policy.json');
  writeEffectivePolicy(policyFile, {
    version: 1,
    workspaceRoots: [w.ws],
    caseInsensitive: false,
    userRules: { deny: ['read(private/**)'], ask: ['write(generated/**)'] },
    projectRules: {},
  });
  const dist = await buildBundles();
  const specs = builtinServerSpecs(dist, w.ws).map((s): ServerSpec =>
    s.transport === 'stdio' && s.name === 'shell' ? { ...s, args: [...s.args, POLICY_FILE_FLAG, policyFile, '--sandbox', 'required'], env: { ...s.env, HOME: w.home } } : s,
  );
  const host = createToolHost(specs, { log: { info() {}, warn() {}, error() {} } });
  try {
    const read = await host.callTool('shell.run_command', { command: 'cat private/plan.txt' });
    assert.doesNotMatch(read.content, /PRIVATE-PLAN/);
    assert.match(read.content, /denied by sandbox: read private\/plan\.txt/);
    const write = await host.callTool('shell.run_command', { command: 'echo v2 > generated/api.ts' });
    assert.match(write.content, /denied by sandbox: write generated\/api\.ts/);
    assert.equal(readFileSync(join(w.ws, 'generated', 'api.ts'), 'utf8'), 'v1\n');
    const ok = await host.callTool('shell.run_command', { command: 'echo fine > src.txt && cat src.txt' });
    assert.match(ok.content, /fine/);
    assert.ok(existsSync(join(w.ws, 'src.txt')));
    assert.equal((ok.structured?.sandbox as { mechanism: string }).mechanism, 'bubblewrap');
  } finally {
    await host.close();
  }
});
