// The CLI's side of the sandbox: which mode the shell server runs in, which extra paths it may use
// (`--sandbox-allow-path`, TILLER_SANDBOX_ALLOW_PATHS), what an approval prompt says a command may touch, and whether
// `--approve sandboxed` can really spare questions (only with a working sandbox, which the server is then told to
// require: nothing runs unsandboxed without a person).
import { homedir } from 'node:os';
import { realpathSync } from 'node:fs';
import type { RawRules } from '../core/policy/rules.js';
import { loadProjectRules } from '../core/policy/load.js';
import { buildSandboxProfile, formatSummary, summariseProfile } from '../core/sandbox/profile.js';
import { describeUnavailable, detectSandbox, type SandboxAvailability } from '../core/sandbox/mechanism.js';
import { parsePathList } from '../core/sandbox/toolchain-paths.js';

export interface CliSandbox {
  mode: 'auto' | 'required';
  allowPaths: string[];
  availability: SandboxAvailability;
  /** Lines for the approval prompt. */
  summaryText: string;
  /** A sentence to print at start when there is no sandbox. */
  notice?: string;
}

export function cliSandbox(options: { workspace: string; env: NodeJS.ProcessEnv; userRules: RawRules | undefined; flagPaths: string[]; sandboxedApprovals: boolean }): CliSandbox {
  const allowPaths = [...parsePathList(options.env.TILLER_SANDBOX_ALLOW_PATHS), ...options.flagPaths];
  const availability = detectSandbox(options.env);
  let root = options.workspace;
  try {
    root = realpathSync(root);
  } catch {
    // the harness reports a missing workspace
  }
  // The prompt shows only what restricts for project rules (their allows need consent, which the harness checks).
  const project = loadProjectRules(root).rules;
  const profile = buildSandboxProfile(
    { version: 1, workspaceRoots: [root], caseInsensitive: false, userRules: options.userRules ?? {}, projectRules: { ask: project.ask ?? [], deny: project.deny ?? [] } },
    { home: options.env.HOME ?? homedir(), allowPaths },
  );
  const summaryText = formatSummary(summariseProfile(profile, availability.available ? availability.mechanism : 'none (commands run unsandboxed)'));
  return {
    mode: options.sandboxedApprovals && availability.available ? 'required' : 'auto',
    allowPaths,
    availability,
    summaryText,
    ...(availability.available ? {} : { notice: describeUnavailable(availability) }),
  };
}
