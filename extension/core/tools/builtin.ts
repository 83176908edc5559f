// The built-in servers, run as children of whatever runs the core. Inside VS Code `process.execPath` is the
// Electron binary, which behaves as plain Node only with ELECTRON_RUN_AS_NODE set.
import { join } from 'node:path';
import { POLICY_FILE_FLAG } from '../policy/effective.js';
import type { ServerSpec } from './types.js';

export interface BuiltinOptions {
  /** A ripgrep binary for search_text (VS Code ships one); without it the server looks on PATH, then scans in JS. */
  ripgrepPath?: string;
  /** Shell server: silence before a command sitting at a prompt is killed. */
  shellIdleMs?: number;
  /**
   * The session's effective policy (policy/effective.ts), passed to both servers as `--policy FILE` so they decide at
   * use (the workspace server) and confine commands (the shell server's sandbox) by the rules the gate uses.
   */
  policyFile?: string;
  /** Shell server: `--sandbox` mode (auto when omitted) and extra `--sandbox-allow-path`s. */
  sandbox?: { mode?: 'auto' | 'required' | 'off'; allowPaths?: string[]; gitDirs?: string[]; readPaths?: string[] };
}

/** Locale and temp dir pass through so commands behave as in the user's terminal; secrets do not. */
function passThroughEnv(): Record<string, string> {
  const env: Record<string, string> = { ELECTRON_RUN_AS_NODE: '1' };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && (key === 'LANG' || key === 'TMPDIR' || key.startsWith('LC_'))) env[key] = value;
  }
  return env;
}

export function builtinServerSpecs(distDir: string, workspaceRoot: string, options: BuiltinOptions = {}): ServerSpec[] {
  const env = passThroughEnv();
  const policy = options.policyFile !== undefined ? [POLICY_FILE_FLAG, options.policyFile] : [];
  const shellArgs = [join(distDir, 'mcp-shell.js'), '--root', workspaceRoot, ...policy];
  if (options.shellIdleMs !== undefined) shellArgs.push('--idle-ms', String(options.shellIdleMs));
  if (options.sandbox?.mode !== undefined) shellArgs.push('--sandbox', options.sandbox.mode);
  for (const p of options.sandbox?.allowPaths ?? []) shellArgs.push('--sandbox-allow-path', p);
  for (const p of options.sandbox?.gitDirs ?? []) shellArgs.push('--sandbox-git-dir', p);
  for (const p of options.sandbox?.readPaths ?? []) shellArgs.push('--sandbox-read-path', p);
  return [
    {
      name: 'workspace',
      transport: 'stdio',
      command: process.execPath,
      args: [join(distDir, 'mcp-workspace.js'), '--root', workspaceRoot, ...policy],
      env: options.ripgrepPath !== undefined ? { ...env, TILLER_RG_PATH: options.ripgrepPath } : env,
    },
    { name: 'shell', transport: 'stdio', command: process.execPath, args: shellArgs, env },
  ];
}
