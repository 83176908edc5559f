// Re-records the regression traces in test/replays/ after an intended change to the harness's behaviour:
//   node --import tsx test/replays/record.ts
// Each replay directory holds the workspace as it was before the session (workspace/) and the trace (trace.jsonl).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundles } from '../helpers/bundles.js';
import { runTaskOnce, writeWorkspace } from '../evals/lib/run-task.js';
import { TWENTY_STEP_FILES, TWENTY_STEP_SCRIPT, TWENTY_STEP_TASK, twentyStepAnswer, twentyStepApprove } from '../integration/replay/twenty-steps.js';

async function record(): Promise<void> {
  const dist = await buildBundles();
  const dir = join(__dirname, 'twenty-steps');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeWorkspace(TWENTY_STEP_FILES, join(dir, 'workspace'));
  const run = await runTaskOnce({ files: TWENTY_STEP_FILES, task: TWENTY_STEP_TASK, script: TWENTY_STEP_SCRIPT, approve: twentyStepApprove, answer: twentyStepAnswer, distDir: dist });
  if (run.outcome.status !== 'done') throw new Error(`the session did not finish: ${run.outcome.status} ${run.outcome.summary}`);
  copyFileSync(run.tracePath, join(dir, 'trace.jsonl'));
  process.stdout.write(`recorded ${join(dir, 'trace.jsonl')} (${run.events.length} events)\n`);
}

record().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`record: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
