// The composition of one task's checks, for the harness: the user's checks and the project's `.tiller/checks.json`
// (read from the workspace folder as the task starts, so the file as the user left it decides, not what the task
// later writes), each run through the rules, the approver and a sandbox built from the rules in force at that moment.
import { homedir } from 'node:os';
import type { Approver, Logger } from '../ports.js';
import type { EffectivePolicy } from '../policy/effective.js';
import type { PolicyEngine } from '../policy/types.js';
import { buildCommandEnv } from '../sandbox/command-env.js';
import { createSandboxRunner } from '../sandbox/runner.js';
import type { TraceSink } from '../trace/events.js';
import { loadProjectChecks, mergeChecks, type CheckSpec } from './config.js';
import { taskChecks, type TaskChecks } from './observer.js';
import type { CheckRunEvent } from './run-check.js';

export interface ChecksForTaskOptions {
  /** Where checks run (a worktree task's worktree). */
  root: string;
  /** Where `.tiller/checks.json` is read: the base tree, never a copy the task could rewrite. Defaults to root. */
  configRoot?: string;
  userChecks: readonly CheckSpec[];
  policy: PolicyEngine;
  approver: Approver;
  trace: TraceSink;
  effective: () => EffectivePolicy;
  sandbox: { mode?: 'auto' | 'required' | 'off'; allowPaths?: string[] } | undefined;
  log: Logger;
  /** The step the task is at, for the trace. */
  step: () => number;
  /** Told about every check run, for the transcript. */
  onCheck: (event: CheckRunEvent) => void;
}

/** Nothing when no check is configured: then the task runs exactly as without this module. */
export function checksForTask(options: ChecksForTaskOptions): TaskChecks {
  const project = loadProjectChecks(options.configRoot ?? options.root);
  for (const e of project.errors) options.log.warn(e);
  const checks = mergeChecks([...options.userChecks], project.checks).checks;
  if (checks.length === 0) return {};
  return taskChecks(checks, {
    policy: options.policy,
    approver: options.approver,
    sandbox: () =>
      createSandboxRunner({
        policy: options.effective(),
        mode: options.sandbox?.mode ?? 'auto',
        home: process.env.HOME ?? homedir(),
        ...(options.sandbox?.allowPaths ? { allowPaths: options.sandbox.allowPaths } : {}),
      }),
    workspaceRoot: options.root,
    env: buildCommandEnv(process.env),
    trace: options.trace,
    agent: 'main',
    step: options.step,
    onEvent: options.onCheck,
  });
}
