// Runs one configured check the way any command is run: decided by the permission rules, asked of the user when it is
// a project's command the rules leave to asking, then inside the sandbox with a deadline and capped output
// (sandbox/capped-run.ts). A check the user gave (`--check`, `tiller.checks`) is the user's own and is not asked, but
// a deny rule still binds it. Whatever happens is recorded in the trace (`check`) and told to the UI.
import type { Approver } from '../ports.js';
import type { PolicyDecision, PolicyEngine } from '../policy/types.js';
import { runCapped } from '../sandbox/capped-run.js';
import type { SandboxRunner } from '../sandbox/runner.js';
import type { TraceSink } from '../trace/events.js';
import { redactSecrets } from '../trace/redact.js';
import { CHECKS_FILE, type CheckMoment, type CheckSpec } from './config.js';
import type { CheckRun } from './types.js';

/** Per stream, what a check may print before its middle is cut (the start and the end are what matter). */
export const CHECK_OUTPUT_BYTES = 256 * 1024;
/** Of that, what the trace keeps of each run. */
export const TRACE_OUTPUT_CHARS = 64 * 1024;
/** What the transcript card shows before "show all". */
export const EVENT_PREVIEW_CHARS = 4000;

/** What a UI shows of a check run (the AgentEvent `check`). */
export interface CheckRunEvent {
  type: 'check';
  name: string;
  command: string;
  after: CheckMoment;
  status: CheckRun['status'];
  passed: boolean;
  exitCode: number | null;
  durationMs: number;
  /** The end of the output (the whole of it is in the trace). */
  preview: string;
  reason?: string;
}

export interface CheckRunnerDeps {
  policy: PolicyEngine;
  approver: Approver;
  /** A sandbox runner built from the rules in force now; closed after the run. */
  sandbox: () => SandboxRunner;
  workspaceRoot: string;
  /** The allowlisted environment commands get (sandbox/command-env.ts). */
  env: Record<string, string>;
  trace: TraceSink;
  agent: string;
  /** The step the task is at, for the trace. */
  step: () => number;
  onEvent?: (event: CheckRunEvent) => void;
  maxOutputBytes?: number;
}

/** The project's checks the user declined in this task: not asked again (asking after every edit would nag). */
export type DeclinedChecks = Map<string, string>;

export async function runCheck(spec: CheckSpec, moment: CheckMoment, deps: CheckRunnerDeps, declined: DeclinedChecks, signal: AbortSignal): Promise<CheckRun> {
  const callId = `check:${spec.name}`;
  const step = deps.step();
  const base = { name: spec.name, command: spec.command, source: spec.source, moment, timeoutMs: spec.timeoutMs };
  const notRun = (reason: string): CheckRun => ({
    ...base,
    status: 'not_run',
    exitCode: null,
    durationMs: 0,
    output: '',
    outputBytes: 0,
    truncated: false,
    sandboxed: false,
    reason,
  });

  const decision = deps.policy.decide({ kind: 'shell', command: spec.command });
  deps.trace.emit(deps.agent, {
    type: 'policy',
    step,
    callId,
    action: { kind: 'shell', command: spec.command },
    decision: decision.decision,
    rule: decision.rule,
    source: decision.source,
    reason: decision.reason,
  });
  let run: CheckRun;
  if (decision.decision === 'deny') {
    run = notRun(`denied by the permission rules (${decision.rule}): ${decision.reason}`);
  } else if (decision.decision === 'ask' && spec.source === 'project') {
    const earlier = declined.get(spec.name);
    run = earlier !== undefined ? notRun(earlier) : await askThenRun(spec, moment, deps, declined, decision, signal, step, notRun);
  } else {
    run = await execute(spec, moment, deps, signal);
  }
  record(run, deps, step);
  return run;
}

async function askThenRun(
  spec: CheckSpec,
  moment: CheckMoment,
  deps: CheckRunnerDeps,
  declined: DeclinedChecks,
  decision: PolicyDecision,
  signal: AbortSignal,
  step: number,
  notRun: (reason: string) => CheckRun,
): Promise<CheckRun> {
  // The card says whose command this is: the repository's, not the model's.
  const policy = { ...decision, reason: `${decision.reason}; it is the project check "${spec.name}" from ${CHECKS_FILE}` };
  const answer = await deps.approver.approve({ kind: 'shell', command: spec.command, cwd: '.', policy }, signal);
  deps.trace.emit(deps.agent, {
    type: 'approval',
    step,
    callId: `check:${spec.name}`,
    kind: 'shell',
    approved: answer.approved,
    ...(answer.approved ? {} : { reason: answer.reason }),
  });
  if (answer.approved) return execute(spec, moment, deps, signal);
  const reason = `the user declined to run this project check${answer.reason ? ` and said: ${answer.reason}` : ''}`;
  declined.set(spec.name, `${reason} (earlier in this task; it is not asked again)`);
  return notRun(reason);
}

async function execute(spec: CheckSpec, moment: CheckMoment, deps: CheckRunnerDeps, signal: AbortSignal): Promise<CheckRun> {
  const base = { name: spec.name, command: spec.command, source: spec.source, moment, timeoutMs: spec.timeoutMs };
  let runner: SandboxRunner;
  try {
    runner = deps.sandbox();
  } catch (err) {
    return {
      ...base,
      status: 'not_run',
      exitCode: null,
      durationMs: 0,
      output: '',
      outputBytes: 0,
      truncated: false,
      sandboxed: false,
      reason: `the sandbox could not be set up: ${(err as Error).message}`,
    };
  }
  try {
    const r = await runCapped({
      runner,
      command: spec.command,
      cwd: deps.workspaceRoot,
      env: deps.env,
      timeoutMs: spec.timeoutMs,
      maxOutputBytes: deps.maxOutputBytes ?? CHECK_OUTPUT_BYTES,
      signal,
    });
    const output = r.stderr.trim() ? `${r.stdout}${r.stdout && !r.stdout.endsWith('\n') ? '\n' : ''}${r.stderr}` : r.stdout;
    const common = {
      ...base,
      exitCode: r.exitCode,
      durationMs: r.durationMs,
      output,
      outputBytes: r.outputBytes,
      truncated: r.truncated,
      sandboxed: r.sandboxed,
    };
    if (r.spawnError !== undefined) return { ...common, status: 'not_run', reason: `it could not be started: ${r.spawnError}` };
    if (r.cancelled) return { ...common, status: 'cancelled' };
    if (r.timedOut) return { ...common, status: 'timed_out' };
    if (r.exitCode === 0) return { ...common, status: 'passed' };
    // bash says 127 for a command it cannot find (126: found but not executable).
    const missing = /(?:^|\n)(?:\/bin\/)?(?:ba)?sh: (?:line \d+: )?(.+?): (command not found|No such file or directory|Permission denied)/.exec(r.stderr);
    if ((r.exitCode === 127 || r.exitCode === 126) && missing)
      return {
        ...common,
        status: 'not_found',
        reason: `${missing[1]}: ${missing[2] === 'command not found' ? 'command not found' : missing[2]!.toLowerCase()}`,
      };
    return { ...common, status: 'failed' };
  } finally {
    runner.close();
  }
}

function record(run: CheckRun, deps: CheckRunnerDeps, step: number): void {
  const output = redactSecrets(run.output);
  const kept =
    output.length > TRACE_OUTPUT_CHARS
      ? `${output.slice(0, TRACE_OUTPUT_CHARS / 2)}\n[… ${output.length - TRACE_OUTPUT_CHARS} characters cut …]\n${output.slice(-TRACE_OUTPUT_CHARS / 2)}`
      : output;
  deps.trace.emit(deps.agent, {
    type: 'check',
    step,
    name: run.name,
    command: run.command,
    after: run.moment,
    source: run.source,
    status: run.status,
    passed: run.status === 'passed',
    exitCode: run.exitCode,
    timedOut: run.status === 'timed_out',
    durationMs: run.durationMs,
    output: kept,
    outputBytes: run.outputBytes,
    truncated: run.truncated || kept !== output,
    sandboxed: run.sandboxed,
    ...(run.reason !== undefined ? { reason: run.reason } : {}),
  });
  deps.onEvent?.({
    type: 'check',
    name: run.name,
    command: run.command,
    after: run.moment,
    status: run.status,
    passed: run.status === 'passed',
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    preview: output.length > EVENT_PREVIEW_CHARS ? `…${output.slice(-EVENT_PREVIEW_CHARS)}` : output,
    ...(run.reason !== undefined ? { reason: run.reason } : {}),
  });
}
