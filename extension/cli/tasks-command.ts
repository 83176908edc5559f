// `tiller tasks list|show ID|diff ID|apply ID|keep ID|discard ID|prune`: the worktree tasks `tiller run --worktree`
// started. `apply` brings a task's change set into the user's tree all-or-nothing (core/worktrees/lifecycle.ts),
// refusing with the list of conflicting files and writing nothing; `discard` removes the worktree and the branch.
import { parseArgs } from 'node:util';
import { tillerHome } from '../core/harness.js';
import { createPolicyEngine } from '../core/policy/engine.js';
import { loadProjectRules } from '../core/policy/load.js';
import { formatDuration } from '../core/trace/duration.js';
import {
  applyTask,
  discardTask,
  isLive,
  keepBranch,
  listTaskRecords,
  pidAlive,
  pruneTasks,
  readTaskRecord,
  taskChanges,
  TaskChangesError,
  TaskRecordError,
  TaskStateError,
  type TaskRecord,
} from '../core/worktrees/index.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { loadUserRules } from './user-rules.js';
import { runCommand } from './run-command.js';

export const TASKS_USAGE = 'tiller tasks (list | show ID | diff ID | apply ID | keep ID | discard ID | prune) [--json] | tiller tasks resume ID [run flags]';

export async function tasksCommand(argv: string[], io: CliIo): Promise<number> {
  // `resume ID [run flags]`: the run itself, in the task's worktree, from its session log.
  if (argv[0] === 'resume') {
    const [, id, ...runFlags] = argv;
    if (id === undefined || id.startsWith('-')) throw new UsageError(`tiller tasks resume needs a task id\nusage: ${TASKS_USAGE}`);
    let record: TaskRecord;
    try {
      record = readTaskRecord(tillerHome(), id);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    return runCommand(['--resume', record.sessionPath ?? '', '--workspace', record.path, '--worktree-task', id, ...runFlags], io);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${TASKS_USAGE}`);
  }
  const [sub, id, ...extra] = parsed.positionals;
  const json = parsed.values.json === true;
  const home = tillerHome();
  const say = (line: string) => io.stderr.write(line + '\n');
  const needsId = (): TaskRecord => {
    if (id === undefined) throw new UsageError(`tiller tasks ${sub} needs a task id (see \`tiller tasks list\`)\nusage: ${TASKS_USAGE}`);
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}\nusage: ${TASKS_USAGE}`);
    try {
      return readTaskRecord(home, id);
    } catch (err) {
      if (err instanceof TaskRecordError) throw new UsageError(err.message);
      throw err;
    }
  };
  try {
    switch (sub) {
      case undefined:
      case 'list': {
        const records = listTaskRecords(home, (m) => say(`warning: ${m}`));
        if (json) io.stdout.write(JSON.stringify(records.map((r) => ({ ...r, shownState: shownState(r) }))) + '\n');
        else if (records.length === 0) io.stdout.write('no worktree tasks\n');
        else for (const r of records) io.stdout.write(listLine(r) + '\n');
        return EXIT.done;
      }
      case 'show': {
        const r = needsId();
        if (json) io.stdout.write(JSON.stringify({ ...r, shownState: shownState(r) }) + '\n');
        else io.stdout.write(showText(r));
        return EXIT.done;
      }
      case 'diff': {
        const r = needsId();
        const changes = await taskChanges(r);
        say(
          `task ${r.id} on ${r.branch}: diff from ${changes.base.slice(0, 12)} (${r.carried ? 'the carried-over changes' : 'merge base'}) to ${changes.tip.slice(0, 12)}`,
        );
        if (changes.baseMoved)
          say(
            `the base branch moved since the task started (${r.baseCommit.slice(0, 12)} -> ${changes.userHead.slice(0, 12)}); merge base ${changes.base.slice(0, 12)}`,
          );
        io.stdout.write(changes.diff);
        return EXIT.done;
      }
      case 'apply': {
        const r = needsId();
        const userRules = loadUserRules();
        const project = loadProjectRules(r.repoRoot);
        const policy = createPolicyEngine({ workspaceRoots: [r.repoRoot], ...(userRules ? { userRules } : {}), projectRules: project.rules });
        const result = await applyTask(home, r, { policy });
        if (json)
          io.stdout.write(
            JSON.stringify(result.ok ? { ok: true, files: result.files } : { ok: false, error: result.error, conflicts: result.conflicts }) + '\n',
          );
        if (result.ok) {
          say(`applied task ${r.id} to ${r.repoRoot}: ${result.files.join(', ')}`);
          say(`the branch ${r.branch} is kept; the worktree is removed`);
          return EXIT.done;
        }
        if (result.conflicts.length) {
          say(`refused: nothing was written. These files changed in your tree since the task's base (${result.changes?.base.slice(0, 12) ?? '?'}):`);
          for (const f of result.conflicts) say(`  ${f}`);
          say(`review with \`tiller tasks diff ${r.id}\` and merge the branch ${r.branch} with git instead`);
        } else say(`refused: ${result.error}`);
        return EXIT.failed;
      }
      case 'keep': {
        const r = needsId();
        await keepBranch(home, r);
        say(`task ${r.id}: worktree removed, branch ${r.branch} kept`);
        return EXIT.done;
      }
      case 'discard': {
        const r = needsId();
        await discardTask(home, r);
        say(`task ${r.id} discarded: worktree ${r.path} and branch ${r.branch} removed`);
        return EXIT.done;
      }
      case 'prune': {
        const pruned = await pruneTasks(home, (m) => say(`warning: ${m}`));
        say(pruned.length ? `pruned ${pruned.join(', ')}` : 'nothing to prune');
        return EXIT.done;
      }
      default:
        throw new UsageError(`unknown tasks command ${JSON.stringify(sub)}\nusage: ${TASKS_USAGE}`);
    }
  } catch (err) {
    if (err instanceof TaskStateError || err instanceof TaskChangesError) {
      say(`tiller: ${err.message}`);
      return EXIT.failed;
    }
    throw err;
  }
}

/** A record whose process died while running is shown as stopped: its worktree is there to resume or review. */
export function shownState(r: TaskRecord): string {
  if ((r.state === 'running' || r.state === 'waiting' || r.state === 'creating') && !pidAlive(r.pid)) return 'stopped (its process is gone)';
  return r.state;
}

function elapsed(r: TaskRecord): string {
  return formatDuration((r.endedAt ?? (isLive(r) ? Date.now() : r.startedAt)) - r.startedAt);
}

function firstLine(text: string, n: number): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
}

function listLine(r: TaskRecord): string {
  return `${r.id}  ${shownState(r).padEnd(9)}  steps ${r.steps}  $${r.costUsd.toFixed(4)}  ${elapsed(r)}  ${r.filesChanged.length} file(s)  ${r.branch}  ${firstLine(r.task, 60)}`;
}

function showText(r: TaskRecord): string {
  return [
    `task ${r.id}: ${shownState(r)}`,
    `  task: ${firstLine(r.task, 200)}`,
    `  branch: ${r.branch}`,
    `  worktree: ${r.path}`,
    `  from: ${r.repoRoot} at ${r.baseCommit.slice(0, 12)}${r.carried ? ' (uncommitted changes carried over)' : ''}`,
    `  commit: ${r.commit ?? '(none)'}`,
    `  steps ${r.steps}, cost $${r.costUsd.toFixed(4)}, ${elapsed(r)}`,
    `  files changed: ${r.filesChanged.length ? r.filesChanged.join(', ') : '(none)'}`,
    ...(r.error ? [`  error: ${r.error}`] : []),
    ...(shownState(r).startsWith('stopped') && r.sessionPath ? [`  resume: tiller tasks resume ${r.id}`] : []),
    ...(r.tracePath ? [`  trace: ${r.tracePath}`] : []),
    ...(r.sessionPath ? [`  session: ${r.sessionPath}`] : []),
    '',
  ].join('\n');
}
