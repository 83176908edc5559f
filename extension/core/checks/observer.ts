// The checks of one task: after each applied change set the `edit` checks run and the model hears the digest (a
// ChangeObserver); before the task may end as done the `done` checks run (DoneChecks, read by agent/done-gate.ts).
// One instance per task, so a project check the user declined is not asked again within it.
import type { ChangeObservation, ChangeObserver, DoneChecks, DoneChecksVerdict } from '../ports.js';
import type { CheckMoment, CheckSpec } from './config.js';
import { digestChecks } from './digest.js';
import { runCheck, type CheckRunnerDeps, type DeclinedChecks } from './run-check.js';
import { blocksDone, type CheckRun } from './types.js';

export interface TaskChecks {
  /** Present when some check runs after edits. */
  observer?: ChangeObserver;
  /** Present when some check runs before done. */
  done?: DoneChecks;
}

const AFTER_EDIT = 'Tiller ran the configured checks after your change:';
const BEFORE_DONE =
  'You answered without a tool call, which ends the task, but a check that must pass before the task is done did not pass. The task does not end as done while it fails: fix what it reports, then finish again.';
const DONE_PASSED = 'Tiller ran the checks that must pass before the task is done:';

export function taskChecks(checks: readonly CheckSpec[], deps: CheckRunnerDeps): TaskChecks {
  const declined: DeclinedChecks = new Map();
  const runAll = async (moment: CheckMoment, signal: AbortSignal): Promise<CheckRun[]> => {
    const runs: CheckRun[] = [];
    for (const spec of checks.filter((c) => c.after.includes(moment))) {
      if (signal.aborted) break;
      runs.push(await runCheck(spec, moment, deps, declined, signal));
    }
    return runs;
  };
  const hasEdit = checks.some((c) => c.after.includes('edit'));
  const hasDone = checks.some((c) => c.after.includes('done'));
  const result: TaskChecks = {};
  if (hasEdit) {
    result.observer = {
      async afterChanges(_files, signal): Promise<ChangeObservation | undefined> {
        const runs = await runAll('edit', signal);
        if (runs.length === 0 || signal.aborted) return undefined;
        return {
          source: `check:${runs.map((r) => r.name).join(',')}`,
          text: digestChecks(runs, AFTER_EDIT, deps.workspaceRoot),
          problem: runs.some((r) => r.status !== 'passed'),
        };
      },
    };
  }
  if (hasDone) {
    result.done = {
      async run(signal): Promise<DoneChecksVerdict> {
        const runs = await runAll('done', signal);
        const failing = runs.filter(blocksDone);
        return { failing: failing.map((r) => r.name), text: digestChecks(runs, failing.length ? BEFORE_DONE : DONE_PASSED, deps.workspaceRoot) };
      },
    };
  }
  return result;
}
