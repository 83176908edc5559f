// `tiller run "<task>" --workspace DIR ...`: one task, headless, on the same core as the extension.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHarness, defaultSessionPath, HarnessConfigError, tillerHome } from '../core/harness.js';
import { SessionLogError } from '../core/agent/session-log.js';
import { ModelError } from '../core/model/types.js';
import type { AgentEvent, TaskOutcome } from '../core/agent/types.js';
import { APPROVE_MODES, automaticApprover, sandboxedApprover, terminalApprover, type ApproveMode } from './approver.js';
import { cliSandbox } from './sandbox-setup.js';
import { decliningElicitor, terminalElicitor } from './elicitor.js';
import { cliOpenExternal } from './open-external.js';
import { createFileSecretStore } from '../core/tools/oauth/file-secret-store.js';
import { modelConfigFrom } from './config.js';
import { EXIT, exitCodeFor, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { loadUserRules } from './user-rules.js';
import { InProcessRepoContext } from './repo-context.js';
import { loadCliMcpServers } from './mcp-servers.js';
import { cliConsent } from './workspace-consent.js';
import { taskSizeProblem } from '../core/agent/task-limit.js';
import { pricesKnown } from '../core/model/cost.js';
import { formatDuration } from '../core/trace/duration.js';
import { checkFromCommand, MAX_CHECK_TIMEOUT_MS } from '../core/checks/config.js';
import { formatCheckEvent } from './check-output.js';
import { createImageStore, ImageError, imagesDir } from '../core/model/image-store.js';
import type { ImageAttachment } from '../core/model/types.js';
import { worktreeEditsApprover } from '../core/worktrees/approver.js';
import { discardTask } from '../core/worktrees/lifecycle.js';
import { finishWorktreeTask, markRunning, maxConcurrentTasks, resumeWorktreeTask, startWorktreeTask, type WorktreeStart } from './worktree-run.js';

export const RUN_USAGE = `tiller run ("<task>" | --task-file FILE | --resume SESSION) --workspace DIR [--base-url URL] [--model NAME]
           [--small-model NAME] [--fallback-model NAME] [--approve ask|edits|all|never|sandboxed] [--mode act|plan]
           [--max-steps N] [--max-cost USD] [--max-daily-cost USD] [--max-tokens N] [--max-time SECONDS] [--trace FILE] [--trace-prompts] [--json]
           [--trust-workspace-config] [--checkpoints] [--sandbox-allow-path PATH]... [--check COMMAND]... [--check-timeout SECONDS]
           [--agent NAME] [--input NAME=VALUE]... [--image FILE]...
           [--worktree [--carry-changes | --no-carry-changes] [--co-author "Name <email>"]]
           A task starting with /name runs that slash command (.claude/commands, .github/prompts, .tiller/commands).`;

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseStrict(argv);
  const resume = values.resume;
  if (resume !== undefined && (positionals.length || values['task-file'] !== undefined))
    throw new UsageError('--resume continues a session with its own task; give no task with it');
  const task = resume !== undefined ? '' : readTask(positionals, values['task-file']);
  if (!values.workspace) throw new UsageError('--workspace DIR is required (the folder the agent works in)');
  if (resume !== undefined && values.image?.length) throw new UsageError('--image attaches to a new task; a resumed session keeps its own');
  // Checked and stored before anything starts: a file that is not an image stops the run with nothing sent.
  const images = attachImages(values.image ?? []);
  const approve = (values.approve ?? 'ask') as ApproveMode;
  if (!APPROVE_MODES.includes(approve)) throw new UsageError(`--approve must be one of ${APPROVE_MODES.join(', ')}, not ${JSON.stringify(values.approve)}`);
  const mode = values.mode ?? 'act';
  if (mode !== 'act' && mode !== 'plan') throw new UsageError(`--mode must be act or plan, not ${JSON.stringify(mode)}`);
  const budgets = {
    maxSteps: positiveNumber('--max-steps', values['max-steps'], true),
    maxCostUsd: positiveNumber('--max-cost', values['max-cost'], false),
    maxDailyCostUsd: positiveNumber('--max-daily-cost', values['max-daily-cost'] ?? io.env.TILLER_MAX_DAILY_COST, false),
    maxTokens: positiveNumber('--max-tokens', values['max-tokens'], true),
    maxTimeMs: mapDefined(positiveNumber('--max-time', values['max-time'], false), (s) => s * 1000),
  };
  const json = values.json === true;
  const checkTimeoutMs = mapDefined(positiveNumber('--check-timeout', values['check-timeout'], false), (s) => Math.round(s * 1000));
  if (checkTimeoutMs !== undefined && checkTimeoutMs > MAX_CHECK_TIMEOUT_MS)
    throw new UsageError(`--check-timeout must be at most ${MAX_CHECK_TIMEOUT_MS / 1000} seconds`);
  const checks = (values.check ?? []).map((command) => {
    if (!command.trim()) throw new UsageError('--check needs a command, e.g. --check "npm test"');
    return checkFromCommand(command, checkTimeoutMs);
  });
  const inputs = parseInputs(values.input ?? []);
  const say = (line: string) => io.stderr.write(line + '\n');
  if (values['carry-changes'] && values['no-carry-changes']) throw new UsageError('--carry-changes and --no-carry-changes contradict each other; give one');
  if (
    !values.worktree &&
    values['worktree-task'] === undefined &&
    (values['carry-changes'] || values['no-carry-changes'] || values['co-author'] !== undefined)
  ) {
    throw new UsageError('--carry-changes, --no-carry-changes and --co-author go with --worktree');
  }
  if (values.worktree && resume !== undefined) throw new UsageError('--worktree starts a new task; to continue one, use `tiller tasks resume ID`');
  const model = modelConfigFrom(
    { baseUrl: values['base-url'], model: values.model, smallModel: values['small-model'], fallbackModel: values['fallback-model'] },
    io.env,
    (m) => say(`warning: ${m}`),
  );
  const userRules = loadUserRules();
  // A worktree task works in its own tree and reads the project's configuration from the user's (the base) tree.
  let worktree: WorktreeStart | undefined;
  // `tiller tasks resume ID` comes here with the task's worktree and session.
  if (values['worktree-task'] !== undefined) {
    if (resume === undefined) throw new UsageError('--worktree-task goes with --resume (use `tiller tasks resume ID`)');
    worktree = resumeWorktreeTask(tillerHome(), values['worktree-task']);
    say(`worktree: ${worktree.record.path} (resumed)`);
    say(`branch: ${worktree.record.branch}`);
  } else if (values.worktree) {
    const ttyAsk = (io.stdin as { isTTY?: boolean }).isTTY && approve === 'ask' ? askOnTerminal(io) : undefined;
    worktree = await startWorktreeTask({
      workspace: resolve(values.workspace),
      home: tillerHome(),
      task,
      carryChanges: values['carry-changes'] ? true : values['no-carry-changes'] ? false : undefined,
      maxConcurrent: maxConcurrentTasks(io.env),
      ...(ttyAsk ? { ask: ttyAsk } : {}),
    });
    say(`worktree: ${worktree.record.path}`);
    say(`branch: ${worktree.record.branch}`);
    say(`task id: ${worktree.record.id}`);
  }
  const workspace = worktree ? worktree.record.path : resolve(values.workspace);
  const configRoot = worktree ? worktree.record.repoRoot : workspace;
  // One consent for everything the repository asks to be trusted with (its MCP servers, its allow rules).
  const trustFlag = values['trust-workspace-config'] ? '--trust-workspace-config' : values['trust-workspace-mcp'] ? '--trust-workspace-mcp' : undefined;
  const sandbox = cliSandbox({
    workspace,
    env: io.env,
    userRules,
    flagPaths: values['sandbox-allow-path'] ?? [],
    sandboxedApprovals: approve === 'sandboxed',
  });
  if (sandbox.notice) say(`warning: ${sandbox.notice}${approve === 'sandboxed' ? ' --approve sandboxed asks for every command instead.' : ''}`);
  // In sandboxed mode the person at the terminal still answers edits, tools and escalations.
  const terminal = approve === 'ask' || approve === 'sandboxed' ? terminalApprover(io.stdin, io.stderr, sandbox.summaryText) : undefined;
  const baseApprover =
    approve === 'sandboxed'
      ? sandboxedApprover(terminal!, sandbox.sparesQuestions, say)
      : (terminal ?? automaticApprover(approve as Exclude<ApproveMode, 'ask' | 'sandboxed'>, say));
  // In a worktree, `edits` applies edits there without asking — but a protected path still asks (and, with nobody
  // at a terminal, is declined), since `edits` alone would approve it.
  const approver = worktree && approve === 'edits' ? worktreeEditsApprover(automaticApprover('never', say), say) : baseApprover;
  const prompt = terminal ? { prompt: (text: string) => terminal.prompt(text) } : {};

  const mcpServers = await loadCliMcpServers({
    workspaceRoot: configRoot,
    env: io.env,
    ...prompt,
    ...(trustFlag !== undefined ? { trustFlag } : {}),
    say,
  });
  let harness;
  try {
    harness = await createHarness(
      {
        workspaceRoot: workspace,
        ...(worktree ? { configRoot } : {}),
        model,
        approver,
        distDir: io.distDir,
        sandbox: { mode: sandbox.mode, allowPaths: sandbox.allowPaths, ...(worktree ? worktree.sandbox : {}) },
        ...(userRules ? { userRules } : {}),
        workspaceConsent: { ask: cliConsent({ ...prompt, ...(trustFlag !== undefined ? { trustFlag } : {}), say }), remember: trustFlag === undefined },
        ...(mcpServers.length ? { mcp: { servers: mcpServers } } : {}),
        ...(values.trace ? { tracePath: resolve(values.trace) } : {}),
        ...(values['trace-prompts'] ? { tracePrompts: true } : {}),
        // Checkpoints before every applied edit and command, restorable with `tiller checkpoint restore`.
        ...(values.checkpoints ? { checkpoints: true } : {}),
        ...(checks.length ? { checks } : {}),
        log: { info: say, warn: (m) => say(`warning: ${m}`), error: (m) => say(`error: ${m}`) },
      },
      {
        // The workspace index in this process (the extension asks its context server): ranked files for the prompt.
        repoContext: new InProcessRepoContext({ root: workspace }),
        elicitor: terminal
          ? terminalElicitor(
              (text, signal) => terminal.prompt(text, signal),
              (text) => io.stderr.write(text),
            )
          : decliningElicitor(say),
        mcpAuth: { secrets: createFileSecretStore(tillerHome()), openExternal: cliOpenExternal(say) },
      },
    );
  } catch (err) {
    // The task never started: its fresh worktree and branch go too.
    if (worktree) await discardTask(tillerHome(), worktree.record).catch(() => undefined);
    if (err instanceof HarnessConfigError || (err instanceof ModelError && err.kind === 'config')) throw new UsageError(err.message);
    throw err;
  }
  const sessionPath = resume ? resolve(resume) : defaultSessionPath();
  say(`session: ${sessionPath}${resume ? ' (resumed)' : ''}`);

  const controller = new AbortController();
  const onSigint = () => {
    say('\nstopping (Ctrl+C again to force)...');
    controller.abort();
    io.onInterrupt(() => process.exit(EXIT.interrupted));
  };
  io.onInterrupt(onSigint);

  if (worktree) worktree = { ...worktree, record: markRunning(tillerHome(), worktree.record, { tracePath: harness.tracePath, sessionPath }) };
  let outcome: TaskOutcome | undefined;
  try {
    outcome = await harness.run(worktree ? worktree.firstMessage : task, {
      ...(resume ? { resume: sessionPath } : { sessionPath }),
      mode,
      ...(values.agent !== undefined ? { agent: values.agent } : {}),
      ...(Object.keys(inputs).length ? { inputs } : {}),
      budgets,
      ...(images.length ? { images } : {}),
      signal: controller.signal,
      // After Ctrl+C the refusals that unwind the task are not news (the prompt was interrupted, not answered).
      onEvent: (e) => (json || (controller.signal.aborted && e.type === 'tool_result') ? undefined : printEvent(e, io)),
    });
  } catch (err) {
    if (err instanceof HarnessConfigError || err instanceof SessionLogError) throw new UsageError(err.message);
    throw err;
  } finally {
    await harness.close();
    terminal?.close();
    // Whatever happened, what the task did so far is committed on its branch, never left for the user's tree.
    if (worktree) {
      const finished = await finishWorktreeTask(tillerHome(), worktree.record, outcome, {
        interrupted: controller.signal.aborted,
        ...(values['co-author'] !== undefined ? { coAuthor: values['co-author'] } : {}),
      });
      worktree = { ...worktree, record: finished };
    }
  }
  if (worktree) {
    const r = worktree.record;
    say(`worktree task ${r.id}: ${r.state}${r.commit ? `, committed ${r.commit.slice(0, 12)} on ${r.branch}` : ', no changes committed'}`);
    say(`review: tiller tasks diff ${r.id}   bring back: tiller tasks apply ${r.id}   discard: tiller tasks discard ${r.id}`);
  }

  // Ctrl+C ends the task however it unwound (an approval prompt answers "no" when interrupted): 130, as documented.
  const exitCode = controller.signal.aborted ? EXIT.interrupted : exitCodeFor(outcome);
  if (json) {
    const task = worktree
      ? {
          worktree: {
            id: worktree.record.id,
            path: worktree.record.path,
            branch: worktree.record.branch,
            commit: worktree.record.commit ?? null,
            state: worktree.record.state,
          },
        }
      : {};
    io.stdout.write(JSON.stringify({ ...outcome, trace: harness.tracePath, exitCode, ...task }) + '\n');
  } else {
    io.stdout.write('\n');
    printOutcome(outcome, harness.tracePath, io, pricesKnown(model));
  }
  return exitCode;
}

function parseStrict(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        workspace: { type: 'string', short: 'w' },
        'task-file': { type: 'string' },
        'base-url': { type: 'string' },
        model: { type: 'string' },
        'small-model': { type: 'string' },
        'fallback-model': { type: 'string' },
        approve: { type: 'string' },
        mode: { type: 'string' },
        'max-steps': { type: 'string' },
        'max-cost': { type: 'string' },
        'max-daily-cost': { type: 'string' },
        'max-tokens': { type: 'string' },
        'max-time': { type: 'string' },
        trace: { type: 'string' },
        'trace-prompts': { type: 'boolean' },
        resume: { type: 'string' },
        json: { type: 'boolean' },
        'trust-workspace-config': { type: 'boolean' },
        // The older name, from when consent covered MCP servers only.
        'trust-workspace-mcp': { type: 'boolean' },
        checkpoints: { type: 'boolean' },
        'sandbox-allow-path': { type: 'string', multiple: true },
        // A check of the user's own: after every applied change and before the task may end as done.
        check: { type: 'string', multiple: true },
        'check-timeout': { type: 'string' },
        agent: { type: 'string' },
        input: { type: 'string', multiple: true },
        image: { type: 'string', multiple: true },
        worktree: { type: 'boolean' },
        'carry-changes': { type: 'boolean' },
        'no-carry-changes': { type: 'boolean' },
        'co-author': { type: 'string' },
        'worktree-task': { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${RUN_USAGE}`);
  }
}

/** `--input name=value`, for a slash command's `${input:name}`; the value may hold `=`. */
function parseInputs(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of raw) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? '' : entry.slice(0, eq).trim();
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new UsageError(`--input must be NAME=VALUE (NAME letters, digits, - or _), not ${JSON.stringify(entry)}`);
    out[name] = entry.slice(eq + 1);
  }
  return out;
}

function attachImages(files: string[]): ImageAttachment[] {
  const store = createImageStore(imagesDir(tillerHome()));
  return files.map((file) => {
    try {
      return store.storeFile(resolve(file));
    } catch (err) {
      if (err instanceof ImageError) throw new UsageError(`--image: ${err.message}`);
      throw err;
    }
  });
}

function readTask(positionals: string[], taskFile: string | undefined): string {
  if (taskFile !== undefined) {
    if (positionals.length) throw new UsageError('give the task either as an argument or with --task-file, not both');
    let bytes: Buffer;
    try {
      bytes = readFileSync(taskFile);
    } catch (err) {
      throw new UsageError(`cannot read the task file ${taskFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new UsageError(`the task file ${taskFile} is not UTF-8 text (first invalid byte near offset ${firstInvalidUtf8(bytes)})`);
    }
    if (!text.trim()) throw new UsageError(`the task file ${taskFile} is empty`);
    return checkedSize(text.replace(/^\uFEFF/, ''), `the task file ${taskFile}`);
  }
  if (positionals.length === 0) throw new UsageError(`no task given: say what the agent should do, quoted, or use --task-file FILE\nusage: ${RUN_USAGE}`);
  if (positionals.length > 1) {
    throw new UsageError(`expected one task, quoted, but got ${positionals.length} arguments (put the task in quotes)\nusage: ${RUN_USAGE}`);
  }
  if (!positionals[0]!.trim()) throw new UsageError('the task is empty: say what the agent should do, e.g. tiller run "add a test for parse()"');
  return checkedSize(positionals[0]!, 'the task');
}

/** The same limit as the chat view, checked before anything starts. */
function checkedSize(task: string, what: string): string {
  const problem = taskSizeProblem(task, 'Put long text in a file in the workspace and name its path in the task instead.');
  if (problem) throw new UsageError(`${what}: ${problem}`);
  return task;
}

function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, i + 1), { stream: true });
    } catch {
      return i;
    }
  }
  return bytes.length;
}

function positiveNumber(flag: string, raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'whole number' : 'number'}, not ${JSON.stringify(raw)}`);
  }
  return n;
}

function mapDefined<T, U>(v: T | undefined, f: (v: T) => U): U | undefined {
  return v === undefined ? undefined : f(v);
}

function printEvent(e: AgentEvent, io: CliIo): void {
  switch (e.type) {
    case 'text':
      io.stdout.write(e.delta);
      break;
    case 'text_reset':
      io.stderr.write('\n[retrying the model call; the text above is discarded]\n');
      break;
    case 'tool_call':
      io.stderr.write(`\n> ${e.tool} ${truncate(JSON.stringify(e.args), 160)}\n`);
      break;
    case 'tool_result':
      // What a command printed is what the user approved it for: show it (the first lines), not only failures.
      if (isShellTool(e.tool)) io.stderr.write(commandOutput(e.preview, e.isError));
      else if (e.isError) io.stderr.write(`  ! ${truncate(e.preview.split('\n')[0] ?? '', 200)}\n`);
      break;
    case 'notice':
      io.stderr.write(`[${e.message}]\n`);
      break;
    case 'check':
      io.stderr.write(formatCheckEvent(e));
      break;
    default:
      break;
  }
}

const SHOWN_OUTPUT_LINES = 20;

function isShellTool(tool: string): boolean {
  return /^shell[._]/.test(tool);
}

/** A command's output, indented under its call, cut to a screenful (the whole result is in the trace). */
export function commandOutput(preview: string, isError: boolean): string {
  if (!preview.trim()) return '  (no output)\n';
  const lines = preview.replace(/\s+$/, '').split('\n');
  const shown = lines.slice(0, SHOWN_OUTPUT_LINES).map((l) => `  ${isError ? '! ' : '| '}${truncate(l, 200)}`);
  if (lines.length > SHOWN_OUTPUT_LINES) shown.push(`  … ${lines.length - SHOWN_OUTPUT_LINES} more lines`);
  return `${shown.join('\n')}\n`;
}

function printOutcome(o: TaskOutcome, tracePath: string, io: CliIo, priceKnown: boolean): void {
  const t = o.totals;
  const cost = priceKnown ? `cost $${t.costUsd.toFixed(4)}` : t.costUsd > 0 ? `cost $${t.costUsd.toFixed(4)} (some calls unpriced)` : 'cost: price unknown';
  const head: Record<TaskOutcome['status'], string> = {
    done: 'Done.',
    failed: 'Failed.',
    budget_exhausted: `Stopped: the ${o.exhausted ?? ''} budget ran out.`,
    denied: 'Stopped: an approval was declined.',
    cancelled: 'Cancelled.',
  };
  // The summary of a stopped task already holds the error: then it follows the status on its line, said once, so the
  // first line a script or a person reads names what went wrong.
  if (o.status !== 'done' && o.error && o.summary.includes(o.error)) io.stderr.write(`${head[o.status]} ${o.summary}\n`);
  else {
    io.stderr.write(`${head[o.status]}${o.error ? ` ${o.error}` : ''}\n`);
    if (o.status !== 'done') io.stderr.write(`${o.summary}\n`);
  }
  if (o.filesChanged.length) io.stderr.write(`files changed: ${o.filesChanged.join(', ')}\n`);
  io.stderr.write(
    `steps ${t.steps}, model calls ${t.modelCalls}, tokens ${t.promptTokens} in / ${t.completionTokens} out, ${cost}, ${formatDuration(t.durationMs)}\ntrace: ${tracePath}\n`,
  );
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** One question on the terminal, for the dirty-tree choice before the task's own prompts exist. */
function askOnTerminal(io: CliIo): (question: string) => Promise<string | undefined> {
  return (question) =>
    new Promise((resolveAnswer) => {
      io.stderr.write(question);
      let buffered = '';
      const onData = (chunk: Buffer | string) => {
        buffered += chunk.toString();
        const nl = buffered.indexOf('\n');
        if (nl < 0) return;
        io.stdin.off('data', onData);
        io.stdin.off('end', onEnd);
        io.stdin.pause();
        resolveAnswer(buffered.slice(0, nl));
      };
      const onEnd = () => resolveAnswer(undefined);
      io.stdin.on('data', onData);
      io.stdin.once('end', onEnd);
      io.stdin.resume();
    });
}
