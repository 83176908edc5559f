// The CLI's side of the sandbox (core/sandbox/setup.ts does the deciding): the summary as prompt lines.
import type { RawRules } from '../core/policy/rules.js';
import { formatSummary } from '../core/sandbox/profile.js';
import { sandboxSetup, type SandboxSetup } from '../core/sandbox/setup.js';

export interface CliSandbox extends SandboxSetup {
  /** Lines for the approval prompt. */
  summaryText: string;
}

export function cliSandbox(options: {
  workspace: string;
  env: NodeJS.ProcessEnv;
  userRules: RawRules | undefined;
  flagPaths: string[];
  sandboxedApprovals: boolean;
}): CliSandbox {
  const setup = sandboxSetup({
    workspace: options.workspace,
    env: options.env,
    userRules: options.userRules,
    allowPaths: options.flagPaths,
    sandboxedApprovals: options.sandboxedApprovals,
  });
  return { ...setup, summaryText: formatSummary(setup.summary) };
}
