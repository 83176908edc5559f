// Entry point: `node mcp-workspace.js --root DIR [--http PORT]`.
import { parseServerArgs } from '../common/args.js';
import { createPathGuard } from '../common/path-guard.js';
import { serve } from '../common/serve.js';
import { createWorkspaceServer } from './server.js';

const log = (line: string): void => void process.stderr.write(`[tiller-workspace] ${line}\n`);

async function main(): Promise<void> {
  const args = parseServerArgs(process.argv.slice(2));
  const guard = await createPathGuard(args.root);
  await serve(() => createWorkspaceServer(guard), { httpPort: args.httpPort }, log);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
