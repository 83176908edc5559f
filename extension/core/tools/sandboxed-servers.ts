// Repository-configured stdio MCP servers (`.mcp.json`, `.vscode/mcp.json`) run inside the same sandbox as commands:
// a server the repository brings is code from the repository, consented to or not, so it gets the workspace, the
// toolchain paths and the allowed hosts, never the user's secrets or the rest of the machine. Servers from the user's
// own settings run as configured. The mount plan is made when the harness starts (a server's mounts are fixed when it
// starts anyway); placeholders for absent protected paths are removed when the harness closes.
import type { ServerSpec } from './types.js';
import type { SandboxRunner } from '../sandbox/runner.js';
import { homedir } from 'node:os';
import type { EffectivePolicy } from '../policy/effective.js';
import { describeUnavailable } from '../sandbox/mechanism.js';
import { createSandboxRunner } from '../sandbox/runner.js';
import type { Logger } from '../ports.js';

export interface SandboxedServers {
  specs: ServerSpec[];
  /** Names of the servers that run inside the sandbox. */
  sandboxed: string[];
  close(): Promise<void>;
}

/** `onSkip`: a server that could not be sandboxed when the sandbox is required; it is left out, not started bare. */
export async function sandboxWorkspaceServers(
  specs: readonly ServerSpec[],
  runner: SandboxRunner,
  root: string,
  onSkip: (name: string, error: Error) => void,
): Promise<SandboxedServers> {
  const out: ServerSpec[] = [];
  const sandboxed: string[] = [];
  const finishers: (() => Promise<unknown>)[] = [];
  for (const spec of specs) {
    if (spec.transport !== 'stdio' || spec.source !== 'workspace') {
      out.push(spec);
      continue;
    }
    let prepared: Awaited<ReturnType<SandboxRunner['prepareArgv']>>;
    try {
      prepared = await runner.prepareArgv([spec.command, ...spec.args], spec.cwd ?? root, spec.env ?? {});
    } catch (e) {
      onSkip(spec.name, e as Error);
      continue;
    }
    finishers.push(() => prepared.finish());
    if (prepared.sandboxed) sandboxed.push(spec.name);
    out.push({ ...spec, command: prepared.file, args: prepared.args, env: prepared.env });
  }
  return {
    specs: out,
    sandboxed,
    async close() {
      await Promise.all(finishers.map((f) => f()));
      runner.close();
    },
  };
}

/**
 * Wraps the workspace's stdio MCP servers in the sandbox, built from the same effective policy the built-in servers get
 * (project allows in it only with consent). A server that cannot be sandboxed when the sandbox is required is left
 * out with a warning, never started unsandboxed.
 */
export async function containWorkspaceServers(
  configured: readonly ServerSpec[],
  policy: EffectivePolicy,
  sandbox: { mode?: 'auto' | 'required' | 'off'; allowPaths?: string[]; gitDirs?: string[]; readPaths?: string[] } | undefined,
  log: Logger,
): Promise<SandboxedServers> {
  if (!configured.some((s) => s.transport === 'stdio' && s.source === 'workspace') || sandbox?.mode === 'off') {
    return { specs: [...configured], sandboxed: [], close: async () => {} };
  }
  const runner = createSandboxRunner({
    policy,
    mode: sandbox?.mode ?? 'auto',
    home: process.env.HOME ?? homedir(),
    ...(sandbox?.allowPaths ? { allowPaths: sandbox.allowPaths } : {}),
    ...(sandbox?.gitDirs ? { gitDirs: sandbox.gitDirs } : {}),
    ...(sandbox?.readPaths ? { readPaths: sandbox.readPaths } : {}),
  });
  if (!runner.availability.available) log.warn(`workspace MCP servers run unsandboxed: ${describeUnavailable(runner.availability)}`);
  return sandboxWorkspaceServers(configured, runner, policy.workspaceRoots[0]!, (name, e) => log.warn(`MCP server ${name} not started: ${e.message}`));
}
