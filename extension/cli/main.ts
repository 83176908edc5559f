// The `tiller` command: dispatches to its subcommands (run, trace, check, replay, context, checkpoint, sandbox,
// commit-message, tasks, version, help), prints usage errors without a stack and maps every outcome to an exit code
// (exit-codes.ts).
import { runCommand, RUN_USAGE } from './run-command.js';
import { traceCommand, TRACE_USAGE } from './trace-command.js';
import { checkCommand, CHECK_USAGE } from './check-command.js';
import { replayCommand, REPLAY_USAGE } from './replay-command.js';
import { contextCommand, CONTEXT_USAGE } from './context-command.js';
import { checkpointCommand, CHECKPOINT_USAGE } from './checkpoint-command.js';
import { sandboxCommand, SANDBOX_USAGE } from './sandbox-command.js';
import { commitMessageCommand, COMMIT_MESSAGE_USAGE } from './commit-message-command.js';
import { tasksCommand, TASKS_USAGE } from './tasks-command.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';

declare const TILLER_VERSION: string | undefined;

const HELP = `Tiller — a coding agent harness for any OpenAI-compatible model.

usage:
  ${RUN_USAGE}
  ${TRACE_USAGE}
  ${CHECK_USAGE}
  ${REPLAY_USAGE}
  ${CONTEXT_USAGE}
  ${CHECKPOINT_USAGE}
  ${SANDBOX_USAGE}
  ${COMMIT_MESSAGE_USAGE}
  ${TASKS_USAGE}
  tiller version

environment: TILLER_BASE_URL, TILLER_MODEL, TILLER_SMALL_MODEL, TILLER_FALLBACK_MODEL, TILLER_API_KEY or OPENAI_API_KEY,
             TILLER_PRICES (JSON: model -> {inputPerMTok, outputPerMTok, cachedInputPerMTok}), TILLER_MAX_DAILY_COST,
             TILLER_STALL_TIMEOUT_MS (default 30000), TILLER_MAX_RETRIES (default 4),
             TILLER_HOME (traces and your permissions.json, default ~/.tiller),
             TILLER_SANDBOX_ALLOW_PATHS (\`:\`-separated paths a sandboxed command may use beyond the toolchain list),
             TILLER_TASKS_MAX_CONCURRENT (worktree tasks running at once, default 3)
exit codes:  0 done, 1 failed, 2 usage or configuration error, 3 budget exhausted, 4 stopped by a declined approval,
             130 interrupted`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'trace':
        return await traceCommand(rest, io);
      case 'check':
        return await checkCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io);
      case 'context':
        return await contextCommand(rest, io);
      case 'checkpoint':
        return await checkpointCommand(rest, io);
      case 'sandbox':
        return await sandboxCommand(rest, io);
      case 'commit-message':
        return await commitMessageCommand(rest, io);
      case 'tasks':
        return await tasksCommand(rest, io);
      case 'version':
      case '--version':
        io.stdout.write(`${typeof TILLER_VERSION === 'string' ? TILLER_VERSION : 'dev'}\n`);
        return EXIT.done;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(HELP + '\n');
        return command === undefined ? EXIT.usage : EXIT.done;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; try \`tiller help\``);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`tiller: ${err.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`tiller: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.failed;
  }
}

/** Wire `main` to the real process: stdio, environment, Ctrl+C, exit code. */
export function runFromProcess(): void {
  let interrupt: () => void = () => process.exit(EXIT.interrupted);
  process.on('SIGINT', () => interrupt());
  const io: CliIo = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    // The bundle sits in dist/ beside the MCP server bundles.
    distDir: __dirname,
    onInterrupt: (h) => {
      interrupt = h;
    },
  };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
    // MCP children and sockets are closed by then; exit promptly even if a stray handle lingers.
    setImmediate(() => process.exit(code));
  });
}

// `node dist/cli.js ...` runs directly; bin/tiller.js calls runFromProcess(); tests import main().
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) runFromProcess();
