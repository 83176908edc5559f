// `tiller replay TRACE.jsonl --workspace DIR [--json] [--keep]`: re-run a recorded session against this build of the
// harness and report where it now behaves differently. Exit 0: no difference; 1: differences; 2: bad input.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { replaySession, type ReplayReport } from '../core/run-replay.js';
import { ReplayInputError } from '../core/trace/replay/recorded.js';
import { formatComparison } from '../core/trace/replay/compare.js';
import { HarnessConfigError } from '../core/harness.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { loadUserRules } from './user-rules.js';

export const REPLAY_USAGE = 'tiller replay TRACE.jsonl --workspace DIR [--json] [--keep]';

export async function replayCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' }, keep: { type: 'boolean' } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${REPLAY_USAGE}`);
  }
  const [trace, ...rest] = parsed.positionals;
  if (!trace || rest.length) throw new UsageError(`expected one trace file\nusage: ${REPLAY_USAGE}`);
  // A trace does not hold the files the session started from, so the workspace as it was must be given.
  if (!parsed.values.workspace)
    throw new UsageError(
      `--workspace DIR is required: the workspace as it was when the session was recorded (it is copied, not changed)\nusage: ${REPLAY_USAGE}`,
    );
  const userRules = loadUserRules();
  let report: ReplayReport;
  try {
    report = await replaySession({
      trace: resolve(trace),
      workspace: resolve(parsed.values.workspace),
      distDir: io.distDir,
      ...(userRules ? { userRules } : {}),
      ...(parsed.values.keep ? { keepScratch: true } : {}),
    });
  } catch (err) {
    if (err instanceof ReplayInputError || err instanceof HarnessConfigError) throw new UsageError(err.message);
    throw err;
  }
  if (parsed.values.json) {
    io.stdout.write(JSON.stringify(report) + '\n');
  } else {
    io.stdout.write(`replay of: ${report.task.length > 80 ? report.task.slice(0, 77) + '...' : report.task}\n`);
    io.stdout.write(formatComparison(report) + '\n');
    io.stdout.write(
      `outcome: recorded ${report.recordedStatus}, replayed ${report.replayedStatus}; model replies served ${report.modelCalls.served} of ${report.modelCalls.recorded}` +
        (report.modelCalls.overrun ? ` (the harness asked for ${report.modelCalls.overrun} more)` : '') +
        '\n',
    );
    for (const u of report.unanswered) io.stdout.write(`unanswered: ${u}\n`);
    io.stdout.write(`replay trace: ${report.replayTrace}${report.scratch ? `\nscratch workspace: ${report.scratch}` : ''}\n`);
  }
  return report.same ? EXIT.done : EXIT.failed;
}
