// Entry point: `node mcp-shell.js --root DIR [--http PORT] [--idle-ms MS]`.
import { parseServerArgs } from '../common/args.js';
import { createPathGuard } from '../common/path-guard.js';
import { serve } from '../common/serve.js';
import { createShellServer } from './server.js';
import { killAllRunning } from './run-command.js';

const log = (line: string): void => void process.stderr.write(`[tiller-shell] ${line}\n`);

async function main(): Promise<void> {
  const args = parseServerArgs(process.argv.slice(2));
  const guard = await createPathGuard(args.root);
  // Commands run in their own process groups, so they would outlive us; take them down on the way out.
  process.on('exit', killAllRunning);
  await serve(() => createShellServer(guard, { idleMs: args.idleMs }), { httpPort: args.httpPort, onShutdown: killAllRunning }, log);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
