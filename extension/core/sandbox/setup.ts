// One place that decides, for a task about to start, how its commands are contained: the shell server's mode
// (`required` only when sandboxed approvals can rely on it), the extra allowed paths, the summary approval texts show,
// and a sentence for the UI when this machine has no sandbox. Used by the CLI and the VS Code task runner.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { loadProjectRules } from '../policy/load.js';
import type { RawRules } from '../policy/rules.js';
import type { SandboxSummary } from '../ports.js';
import { describeUnavailable, detectSandbox, type SandboxAvailability } from './mechanism.js';
import { buildSandboxProfile, summariseProfile } from './profile.js';
import { parsePathList } from './toolchain-paths.js';

export interface SandboxSetup {
  mode: 'auto' | 'required';
  allowPaths: string[];
  availability: SandboxAvailability;
  summary: SandboxSummary;
  /** Whether `sandboxed` approvals may run commands without asking: only with a sandbox the server must use. */
  sparesQuestions: boolean;
  notice?: string;
}

export function sandboxSetup(options: {
  workspace: string;
  env: NodeJS.ProcessEnv;
  userRules: RawRules | undefined;
  /** From a setting or flags; TILLER_SANDBOX_ALLOW_PATHS is added. */
  allowPaths: readonly string[];
  sandboxedApprovals: boolean;
}): SandboxSetup {
  const allowPaths = [...parsePathList(options.env.TILLER_SANDBOX_ALLOW_PATHS), ...options.allowPaths];
  const availability = detectSandbox(options.env);
  let root = options.workspace;
  try {
    root = realpathSync(root);
  } catch {
    // the harness reports a missing workspace
  }
  // The summary shows only what restricts for project rules (their allows need consent, which the harness checks).
  const project = loadProjectRules(root).rules;
  const profile = buildSandboxProfile(
    {
      version: 1,
      workspaceRoots: [root],
      caseInsensitive: false,
      userRules: options.userRules ?? {},
      projectRules: { ask: project.ask ?? [], deny: project.deny ?? [] },
    },
    { home: options.env.HOME ?? homedir(), allowPaths },
  );
  const sparesQuestions = options.sandboxedApprovals && availability.available;
  return {
    mode: sparesQuestions ? 'required' : 'auto',
    allowPaths,
    availability,
    summary: summariseProfile(profile, availability.available ? availability.mechanism : 'none (commands run unsandboxed)'),
    sparesQuestions,
    ...(availability.available ? {} : { notice: describeUnavailable(availability) }),
  };
}
