// The `shell` MCP server: one tool, run_command, confined to a working directory inside the root.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { PathGuard } from '../common/path-guard.js';
import { errorResult, guarded } from '../common/tool-result.js';
import { buildCommandEnv } from './command-env.js';
import { runCommand, type CommandOutcome } from './run-command.js';
import { SandboxUnavailableError, type SandboxRunner } from '../../extension/core/sandbox/runner.js';
import { describeDenials, findSandboxDenials, type SandboxDenial } from '../../extension/core/sandbox/denials.js';
import { describeUnavailable } from '../../extension/core/sandbox/mechanism.js';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMEOUT_MS = 600_000;
export const DEFAULT_IDLE_MS = 10_000;

export interface ShellServerOptions {
  idleMs?: number;
  /** Every command runs through it (bubblewrap or Seatbelt); without one, commands run as plain `bash -c`. */
  sandbox?: SandboxRunner;
}

/** Asked for by the model when a command needs more than the sandbox gives; the gate asks a person first. */
const escalateSchema = z
  .object({
    reason: z.string().min(1).describe('Why the command needs it, in one sentence for the user'),
    network: z.array(z.string().min(1)).max(20).optional().describe('Host names the command must reach'),
    write: z.array(z.string().min(1)).max(20).optional().describe('Paths outside the workspace, or protected paths, the command must write'),
  })
  .strict();

function describeOutcome(command: string, o: CommandOutcome, timeoutMs: number): { text: string; isError: boolean } {
  let status: string;
  if (o.waitingForInput) {
    status =
      'killed: the command was waiting for interactive input. Commands must run non-interactively: pass flags such as --yes/-y, --no-input, or pipe the answer in.';
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
        'Run a shell command with /bin/bash -c in the workspace (non-interactive: stdin is empty, no secrets in the environment). Output (stdout and stderr together) is capped at 64 KiB, keeping head and tail. A command that waits for input is killed. Commands run in a sandbox: the workspace is writable, secrets and the home directory are hidden, the network is off except allowed hosts; a result line "denied by sandbox: ..." says what was stopped. If a command truly needs more (a host, a path outside the workspace), call it again with `escalate` naming exactly that; the user is asked.',
      inputSchema: {
        command: z.string().min(1).describe('The bash command line'),
        timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional().describe(`Default ${DEFAULT_TIMEOUT_MS}`),
        cwd: z.string().min(1).optional().describe('Working directory relative to the workspace root (default the root)'),
        escalate: escalateSchema.optional().describe('Only after a run was denied by the sandbox: what more it needs'),
      },
      annotations: { title: 'Run command', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    (args, extra) =>
      guarded(async (): Promise<CallToolResult> => {
        const dir = await guard.resolve(args.cwd ?? '.');
        if (!dir.exists || !(await stat(dir.abs)).isDirectory()) return errorResult(`cwd ${JSON.stringify(args.cwd)} is not an existing directory`);
        const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const env = buildCommandEnv(process.env);
        const sandbox = options.sandbox;
        let prepared: Awaited<ReturnType<SandboxRunner['prepare']>> | undefined;
        if (sandbox) {
          const escalation = args.escalate
            ? {
                ...(args.escalate.network ? { network: args.escalate.network } : {}),
                ...(args.escalate.write ? { write: args.escalate.write.map((p) => (isAbsolute(p) ? resolve(p) : resolve(guard.root, p))) } : {}),
              }
            : undefined;
          try {
            prepared = await sandbox.prepare(args.command, dir.abs, env, escalation);
          } catch (e) {
            if (e instanceof SandboxUnavailableError) return errorResult(`not run: ${e.message}`);
            return errorResult(`not run: the sandbox could not be prepared: ${(e as Error).message}`);
          }
        }
        let outcome: CommandOutcome;
        try {
          outcome = await runCommand({
            command: args.command,
            cwd: dir.abs,
            timeoutMs,
            idleMs,
            env,
            signal: extra.signal,
            ...(prepared?.sandboxed ? { launch: { file: prepared.file, args: prepared.args, env: prepared.env } } : {}),
          });
        } catch (e) {
          await prepared?.finish();
          throw e;
        }
        const finished = await prepared?.finish();
        const denials: SandboxDenial[] =
          prepared?.plan && finished ? findSandboxDenials(outcome.output, args.command, dir.abs, prepared.plan, finished.refusals) : [];
        const described = describeOutcome(args.command, outcome, timeoutMs);
        let text = described.text;
        const isError = described.isError;
        if (denials.length) text += `\n${describeDenials(denials)}`;
        if (sandbox && !prepared?.sandboxed && !sandbox.availability.available && sandbox.mode !== 'off') {
          text += `\n[ran without a sandbox: ${describeUnavailable(sandbox.availability)}]`;
        }
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
            sandbox: {
              mechanism: prepared?.sandboxed ? (sandbox?.availability.available ? sandbox.availability.mechanism : 'none') : 'none',
              denied: denials,
            },
          },
          ...(isError ? { isError: true } : {}),
        };
      }),
  );
  return server;
}
