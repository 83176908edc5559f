// The `shell` MCP server: one tool, run_command, confined to a working directory inside the root.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { PathGuard } from '../common/path-guard.js';
import { errorResult, guarded } from '../common/tool-result.js';
import { buildCommandEnv } from './command-env.js';
import { runCommand, type CommandOutcome } from './run-command.js';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMEOUT_MS = 600_000;
export const DEFAULT_IDLE_MS = 10_000;

export interface ShellServerOptions {
  idleMs?: number;
}

function describeOutcome(command: string, o: CommandOutcome, timeoutMs: number): { text: string; isError: boolean } {
  let status: string;
  if (o.waitingForInput) {
    status = 'killed: the command was waiting for interactive input. Commands must run non-interactively: pass flags such as --yes/-y, --no-input, or pipe the answer in.';
  } else if (o.timedOut) {
    status = `killed: timed out after ${timeoutMs} ms (raise timeoutMs up to ${MAX_TIMEOUT_MS}, or run something shorter)`;
  } else if (o.cancelled) {
    status = 'killed: cancelled';
  } else if (o.signal !== null) {
    status = `terminated by signal ${o.signal}`;
  } else {
    status = `exit code ${o.exitCode}`;
  }
  const output = o.output === '' ? '(no output)' : o.output;
  const text = `$ ${command}\n${output}${output.endsWith('\n') ? '' : '\n'}[${status}; ${o.durationMs} ms]`;
  return { text, isError: o.waitingForInput || o.timedOut || o.cancelled };
}

export function createShellServer(guard: PathGuard, options: ShellServerOptions = {}): McpServer {
  const server = new McpServer({ name: 'tiller-shell', version: '0.1.0' });
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;

  server.registerTool(
    'run_command',
    {
      description:
        'Run a shell command with /bin/bash -c in the workspace (non-interactive: stdin is empty, no secrets in the environment). Output (stdout and stderr together) is capped at 64 KiB, keeping head and tail. A command that waits for input is killed.',
      inputSchema: {
        command: z.string().min(1).describe('The bash command line'),
        timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional().describe(`Default ${DEFAULT_TIMEOUT_MS}`),
        cwd: z.string().min(1).optional().describe('Working directory relative to the workspace root (default the root)'),
      },
      annotations: { title: 'Run command', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    (args, extra) =>
      guarded(async (): Promise<CallToolResult> => {
        const dir = await guard.resolve(args.cwd ?? '.');
        if (!dir.exists || !(await stat(dir.abs)).isDirectory()) return errorResult(`cwd ${JSON.stringify(args.cwd)} is not an existing directory`);
        const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const outcome = await runCommand({
          command: args.command,
          cwd: dir.abs,
          timeoutMs,
          idleMs,
          env: buildCommandEnv(process.env),
          signal: extra.signal,
        });
        const { text, isError } = describeOutcome(args.command, outcome, timeoutMs);
        return {
          content: [{ type: 'text', text }],
          structuredContent: {
            exitCode: outcome.exitCode,
            signal: outcome.signal,
            timedOut: outcome.timedOut,
            waitingForInput: outcome.waitingForInput,
            durationMs: outcome.durationMs,
            outputBytes: outcome.outputBytes,
            cwd: dir.rel,
            pid: outcome.pid ?? null,
          },
          ...(isError ? { isError: true } : {}),
        };
      }),
  );
  return server;
}
