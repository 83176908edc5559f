// Entry point: `node mcp-workspace.js --root DIR [--policy FILE] [--http PORT]`.
import { parseServerArgs } from '../common/args.js';
import { realpathSync } from 'node:fs';
import { createPathGuard } from '../common/path-guard.js';
import { createUsePolicy } from '../common/use-policy.js';
import { serve } from '../common/serve.js';
import { createWorkspaceServer } from './server.js';

const log = (line: string): void => void process.stderr.write(`[tiller-workspace] ${line}\n`);

async function main(): Promise<void> {
  const args = parseServerArgs(process.argv.slice(2));
  // Deny at use from the harness's effective policy (`--policy FILE`); the default denies when none is given.
  const guard = await createPathGuard(args.root, { policy: createUsePolicy(realpathSync(args.root), args.policyFile, log) });
  await serve(() => createWorkspaceServer(guard), { httpPort: args.httpPort }, log);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
