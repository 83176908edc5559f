// Entry point: `node mcp-shell.js --root DIR [--http PORT] [--idle-ms MS] [--policy FILE] [--sandbox auto|required|off]
// [--sandbox-allow-path P]... [--sandbox-git-dir P]... [--sandbox-read-path P]...`. Every command runs in the sandbox built from the policy file (the harness's effective
// policy) or, without one, from the defaults alone; TILLER_SANDBOX_ALLOW_PATHS (`:`-separated) adds allowed paths.
import { homedir } from 'node:os';
import { parseServerArgs } from '../common/args.js';
import { createPathGuard } from '../common/path-guard.js';
import { serve } from '../common/serve.js';
import { createShellServer } from './server.js';
import { killAllRunning } from './run-command.js';
import { readEffectivePolicy } from '../../extension/core/policy/effective.js';
import { defaultEffectivePolicy } from '../../extension/core/sandbox/profile.js';
import { createSandboxRunner } from '../../extension/core/sandbox/runner.js';
import { describeUnavailable } from '../../extension/core/sandbox/mechanism.js';
import { parsePathList } from '../../extension/core/sandbox/toolchain-paths.js';

const log = (line: string): void => void process.stderr.write(`[tiller-shell] ${line}\n`);

async function main(): Promise<void> {
  const args = parseServerArgs(process.argv.slice(2));
  const guard = await createPathGuard(args.root);
  const policy = args.policyFile !== undefined ? readEffectivePolicy(args.policyFile) : defaultEffectivePolicy(guard.root);
  const sandbox = createSandboxRunner({
    policy,
    mode: args.sandbox ?? 'auto',
    home: process.env.HOME ?? homedir(),
    allowPaths: [...parsePathList(process.env.TILLER_SANDBOX_ALLOW_PATHS), ...args.allowPaths],
    gitDirs: args.gitDirs,
    readPaths: args.readPaths,
  });
  if (!sandbox.availability.available && sandbox.mode !== 'off') log(describeUnavailable(sandbox.availability));
  // Commands run in their own process groups, so they would outlive us; take them down on the way out.
  const shutdown = (): void => {
    killAllRunning();
    sandbox.close();
  };
  process.on('exit', shutdown);
  await serve(() => createShellServer(guard, { idleMs: args.idleMs, sandbox }), { httpPort: args.httpPort, onShutdown: shutdown }, log);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
