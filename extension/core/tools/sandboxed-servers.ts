// Repository-configured stdio MCP servers (`.mcp.json`, `.vscode/mcp.json`) run inside the same sandbox as commands:
// a server the repository brings is code from the repository, consented to or not, so it gets the workspace, the
// toolchain paths and the allowed hosts, never the user's secrets or the rest of the machine. Servers from the user's
// own settings run as configured. The mount plan is made when the harness starts (a server's mounts are fixed when it
// starts anyway); placeholders for absent protected paths are removed when the harness closes.
import type { ServerSpec } from './types.js';
import type { SandboxRunner } from '../sandbox/runner.js';

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
