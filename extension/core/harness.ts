// The composition root of the core: one workspace, one model client, the built-in MCP servers behind the host, the
// permission engine, the edit applier and the trace. The CLI and the VS Code extension both build their sessions
// here, so they cannot drift apart in what they enforce.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { createModelClient } from './model/client.js';
import { createToolHost } from './tools/host.js';
import { builtinServerSpecs } from './tools/builtin.js';
import { cachingToolHost } from './tools/cache.js';
import { pinnedToolHost } from './tools/pinning/pinned-host.js';
import { PinStore } from './tools/pinning/store.js';
import { createLivePolicy } from './policy/live-policy.js';
import { initShellParser } from './policy/shell-parser.js';
import { createFsEditApplier } from './edits/apply.js';
import { openTraceFile } from './trace/writer.js';
import { registerSecret } from './trace/redact.js';
import { runTask } from './agent/task.js';
import { fileDailySpend, type DailySpend } from './agent/daily-spend.js';
import { createShadowCheckpointer } from './edits/checkpoints/shadow.js';
import type { ShadowCheckpointer } from './edits/checkpoints/types.js';
import { GitError } from './edits/checkpoints/git-runner.js';
import type { ChangeObserver, Checkpointer, Logger } from './ports.js';
import { createImageStore, imagesDir } from './model/image-store.js';
import { openSessionLog, readSessionLog, type ResumeState, type SessionLog } from './agent/session-log.js';
import type { HarnessOptions, RunOptions, TaskOutcome } from './agent/types.js';
import type { ToolHost } from './tools/types.js';
import type { SupervisedToolHost } from './tools/host.js';
import type { ServerStatus } from './tools/supervisor.js';
import type { ContextHooks } from './agent/context-hooks.js';
import type { AgentEvent } from './agent/types.js';
import type { MentionSources, RepoContext } from './context/ports.js';
import type { ContextInspection } from './context/assembly/inspector.js';
import type { TillerContext } from './context/assembly/tiller-context.js';
import { contextForTask } from './context/assembly/task-context.js';
import { silentLogger, type Elicitor } from './ports.js';
import { createModelSampler } from './tools/protocol/model-sampler.js';
import { oauthProviderFactory, type McpAuthOptions } from './tools/oauth/factory.js';
import type { Usage } from './model/types.js';
import { withHostMentions, type EditorMentions, type ResourceReader } from './context/assembly/host-mentions.js';
import { createFsMentionSources } from './context/assembly/fs-mentions.js';
import { containWorkspaceServers } from './tools/sandboxed-servers.js';
import { checksForTask } from './checks/for-task.js';
import { loadSessionHooks } from './agent/hooks/load.js';
import { createHookRuntime, type HookRuntime } from './agent/hooks/runtime.js';
import { createSandboxRunner } from './sandbox/runner.js';
import { describeUnavailable } from './sandbox/mechanism.js';
import { formatProblem, loadWorkflows, type WorkflowCatalog } from './workflows/catalog.js';
import { prepareTask, WorkflowRequestError, type PreparedTask } from './workflows/prepare-task.js';
import type { AgentProfile } from './agent/profile.js';
import { skillLibrary } from './workflows/skills.js';

export interface Harness {
  run(task: string, options?: RunOptions): Promise<TaskOutcome>;
  readonly tracePath: string;
  /** Problems found while setting up (a project rule file that does not parse, ...), for the user to see. */
  readonly warnings: string[];
  /** The workspace's checkpoints (list, restore), when HarnessOptions.checkpoints is on. */
  readonly checkpoints?: ShadowCheckpointer;
  /** What the last task's prompt held (each item with its tokens and reason), for the context inspector. */
  inspectContext(): ContextInspection | undefined;
  /** Resources the MCP servers offer, for `@mcp:server:uri` completion; empty when none or on error. */
  listResources(): Promise<{ server: string; uri: string; name: string }[]>;
  /** This session's MCP servers (built-in and configured): their state, and the user's stop and restart. */
  readonly mcp?: McpServerControl;
  /** The workspace's (and the user's) slash commands, custom agents and skills, read when the harness was made. */
  readonly workflows: WorkflowCatalog;
  close(): Promise<void>;
}

/** The slice of the supervised tool host a servers view drives. */
export type McpServerControl = Pick<SupervisedToolHost, 'servers' | 'restartServer' | 'stopServer'>;

/** Thrown for a workspace or configuration the harness cannot start with; the message names what is wrong. */
export class HarnessConfigError extends Error {
  override name = 'HarnessConfigError';
}

/** Parts a caller may supply instead of the defaults. `context`: replay tests show a change to prompt assembly is caught. */
export interface HarnessDeps {
  toolHost?: ToolHost;
  context?: ContextHooks;
  /** The workspace index (the context server in VS Code, in-process in the CLI); without it no repo slice. */
  repoContext?: RepoContext;
  /** @-mention sources; the file system and git when omitted. */
  mentionSources?: MentionSources;
  /** Context window per model name, in tokens (settings); known families or 128k otherwise. */
  contextWindows?: Record<string, number>;
  /** Answers MCP servers' forms (`elicitation/create`); without it servers cannot ask the user anything. */
  elicitor?: Elicitor;
  /** OAuth for HTTP MCP servers (token storage and the browser); without it a server answering 401 stays down. */
  mcpAuth?: McpAuthOptions;
  /** What only the editor knows for @-mentions: the problems list, terminal output. */
  editorMentions?: EditorMentions;
  /** Today's spending across processes; replay passes one that records nothing, since it spends nothing real. */
  dailySpend?: DailySpend;
  /** Every change of an MCP server's state (starting, up, failed, stopped), with all servers' status. */
  onMcpServersChanged?: (servers: ServerStatus[]) => void;
  /** What only the host can observe after an applied change set (VS Code's diagnostics); the harness adds its checks. */
  changeObservers?: ChangeObserver[];
}

export async function createHarness(options: HarnessOptions, deps: HarnessDeps = {}): Promise<Harness> {
  const log = options.log ?? silentLogger;
  const root = resolveWorkspace(options.workspaceRoot);
  // A worktree task's project configuration comes from its base tree, never from the tree the task can rewrite.
  const configRoot = options.configRoot !== undefined ? resolveWorkspace(options.configRoot) : root;
  // Config errors surface here, before any process is spawned.
  const model = createModelClient(options.model);
  registerSecret(options.model.apiKey);
  // Sampling by MCP servers is paid for by the running task (its budget records the day's spend too); between tasks
  // it still counts toward the day.
  let activeTaskSpend: ((usage: Usage, costUsd: number) => void) | undefined;
  const externalSpend = {
    attach(record: (usage: Usage, costUsd: number) => void) {
      activeTaskSpend = record;
      return () => {
        activeTaskSpend = undefined;
      };
    },
  };
  // Every call's cost is recorded for the per-day limit, which holds across windows and CLI runs.
  const dailySpend = deps.dailySpend ?? fileDailySpend(join(tillerHome(), 'spend'));

  // The rules in force: user rules, the project's deny and ask, its allow only with consent to the file's exact content.
  // A rule file that does not parse is reported and never loosens anything (load.ts). The same value goes to the
  // built-in servers as `--policy FILE` (deny at use) and is rewritten when the rules change.
  // Shell decisions need the tree-sitter parser; until it is loaded they ask (shell-parser.ts).
  await initShellParser();
  const session = newSessionId();
  const live = await createLivePolicy({
    root,
    configRoot,
    home: tillerHome(),
    ...(options.userRules ? { userRules: options.userRules } : {}),
    policyFile: sessionPolicyFile(session),
    ...(options.workspaceConsent ? { consent: options.workspaceConsent } : {}),
    warn: (m) => log.warn(m),
  });
  const policy = live.engine;
  const warnings = [...live.warnings];
  // Lifecycle hooks: the user's, and the project's only with consent to their exact content (agent/hooks/load.ts).
  // Read from the configuration root (a worktree task obeys its base tree's settings, not its own copy).
  const sessionHooks = await loadSessionHooks({
    workspaceRoot: configRoot,
    tillerHome: tillerHome(),
    ...(options.workspaceConsent ? { consent: options.workspaceConsent } : {}),
    warn: (m) => log.warn(m),
  });
  warnings.push(...sessionHooks.warnings);
  // Commands, agents and skills: text, loaded like AGENTS.md. A file that does not parse is named and skipped.
  const workflows = loadWorkflows(
    { workspaceRoot: configRoot, tillerHome: tillerHome() },
    { large: options.model.largeModel, ...(options.model.smallModel ? { small: options.model.smallModel } : {}) },
  );
  for (const p of workflows.problems) {
    const line = formatProblem(p);
    log.warn(line);
    warnings.push(line);
  }
  // An "Always" answer has just written `.tiller/permissions.json`: every enforcer picks the new rules up before the
  // next call.
  const approver: typeof options.approver = {
    approve: async (request, signal) => {
      const decision = await options.approver.approve(request, signal);
      if (decision.approved && decision.scope === 'always') {
        try {
          live.reload();
        } catch (err) {
          // The rules in force stay as they were (without the new allow): stricter, never looser.
          log.warn(`the permission rules could not be re-read after "Always": ${(err as Error).message}`);
        }
      }
      return decision;
    },
    askUser: (question, signal) => options.approver.askUser(question, signal),
  };

  // Configured MCP servers (already consented to, for workspace ones) run next to the built-ins; their tools reach the
  // model only as approved and pinned. Read-only results are cached per task (the cache empties when a task lists tools).
  const configured = options.mcp?.servers ?? [];
  // Servers the repository configured run inside the sandbox (core/tools/sandboxed-servers.ts); the user's run as written.
  const contained = await containWorkspaceServers(configured, live.effective(), options.sandbox, log);
  // MCP servers see the workspace as their roots, may ask the user through the elicitor, may use the model only
  // with the user's approval per request (its cost recorded in the trace and the day's spend), and sign in with OAuth.
  const oauth = deps.mcpAuth ? oauthProviderFactory(deps.mcpAuth) : undefined;
  const hosted =
    deps.toolHost ??
    createToolHost(
      [
        ...builtinServerSpecs(options.distDir, root, {
          policyFile: live.policyFile,
          ...(options.ripgrepPath ? { ripgrepPath: options.ripgrepPath } : {}),
          ...(options.sandbox ? { sandbox: options.sandbox } : {}),
        }),
        ...contained.specs,
      ],
      {
        log,
        roots: [root],
        sampling: {
          approver,
          sample: createModelSampler({
            model,
            trace: { emit: (agent, body) => trace.emit(agent, body) },
            onCost: (usd, usage) => (activeTaskSpend ? activeTaskSpend(usage, usd) : dailySpend.record(usd)),
          }),
        },
        ...(deps.elicitor ? { elicitor: deps.elicitor } : {}),
        ...(oauth ? { authProviderFor: oauth.providerFor } : {}),
        ...(deps.onMcpServersChanged ? { onServersChanged: deps.onMcpServersChanged } : {}),
      },
    );
  const supervisedHost = deps.toolHost ? undefined : (hosted as SupervisedToolHost);
  const mcp: McpServerControl | undefined = supervisedHost && {
    servers: () => supervisedHost.servers(),
    restartServer: (name) => supervisedHost.restartServer(name),
    stopServer: (name) => supervisedHost.stopServer(name),
  };
  const pinned =
    configured.length > 0
      ? pinnedToolHost(hosted, {
          store: new PinStore(tillerHome(), (m) => log.warn(m)),
          approver,
          servers: configured,
          workspaceRoot: root,
          log,
          // Reviews happen when a task lists its tools, by which time the trace below is open.
          onReview: (review) => trace.emit('main', { type: 'mcp_tools', ...review }),
        })
      : hosted;
  const host = cachingToolHost(pinned);
  const editApplier = options.editApplier ?? createFsEditApplier(root, { policy });
  const checkpoints = options.checkpoints
    ? createShadowCheckpointer(root, { storeDir: options.checkpoints === true ? defaultCheckpointStore() : options.checkpoints.storeDir })
    : undefined;
  const checkpointer = checkpoints ? withoutGitTolerated(checkpoints, log) : undefined;
  const tracePath = options.tracePath ?? defaultTracePath(session);
  // Full prompts only when asked (the option, or TILLER_TRACE_PROMPTS=1 read by the writer): they may hold code.
  const trace = openTraceFile(tracePath, session, undefined, options.tracePrompts === undefined ? {} : { recordPrompts: options.tracePrompts });

  // Every hook runs inside the sandbox built from the session's effective policy, like the repository's MCP servers.
  let transcriptPath: string | undefined;
  let hooks: HookRuntime | undefined;
  const hookRunner = sessionHooks.hooks.length
    ? createSandboxRunner({
        policy: live.effective(),
        mode: options.sandbox?.mode ?? 'auto',
        home: process.env.HOME ?? homedir(),
        ...(options.sandbox?.allowPaths ? { allowPaths: options.sandbox.allowPaths } : {}),
      })
    : undefined;
  if (hookRunner) {
    if (!hookRunner.availability.available && hookRunner.mode !== 'required')
      log.warn(`hooks run unsandboxed: ${describeUnavailable(hookRunner.availability)}`);
    hooks = createHookRuntime({
      hooks: sessionHooks.hooks,
      runner: hookRunner,
      workspaceRoot: root,
      sessionId: session,
      transcriptPath: () => transcriptPath,
      trace,
    });
  }

  // @mcp:server:uri goes through this harness's own MCP host; the editor adds @problems and @terminal.
  const mentionSources = withHostMentions(
    deps.mentionSources ?? createFsMentionSources(root),
    'readResource' in hosted ? (hosted as ResourceReader) : undefined,
    deps.editorMentions,
  );

  // Each task gets its own context hooks (its own task record); a caller's hooks replace them (replay tests).
  let lastContext: TillerContext | undefined;
  let tasks = 0;
  const openContext = (): ContextHooks => {
    if (deps.context) return deps.context;
    lastContext = contextForTask({
      model,
      trace,
      workspaceRoot: root,
      configRoot,
      tillerHome: tillerHome(),
      taskId: `${session}-${++tasks}`,
      ...(deps.repoContext ? { repo: deps.repoContext } : {}),
      mentions: mentionSources,
      ...(deps.contextWindows ? { contextWindows: deps.contextWindows } : {}),
    });
    return lastContext;
  };
  // The session summary is stored in memory when the outcome is known.
  const rememberOutcome = (onEvent?: (e: AgentEvent) => void) => (e: AgentEvent) => {
    if (e.type === 'outcome') lastContext?.finish(e.outcome);
    onEvent?.(e);
  };
  let running = false;
  return {
    tracePath,
    warnings,
    workflows,
    ...(checkpoints ? { checkpoints } : {}),
    ...(mcp ? { mcp } : {}),
    inspectContext: () => lastContext?.lastPrompt(),
    async listResources() {
      if (!('listResources' in hosted)) return [];
      const resources = await (hosted as { listResources(): Promise<{ server: string; uri: string; name: string }[]> }).listResources().catch(() => []);
      return resources.map(({ server, uri, name }) => ({ server, uri, name }));
    },
    async run(task, runOptions = {}) {
      if (running) throw new Error('a task is already running in this session; stop it first');
      running = true;
      const { resume: resumePath, sessionPath, agent: agentName, inputs, askInput, ...rest } = runOptions;
      let resume: ResumeState | undefined;
      let sessionLog: SessionLog | undefined;
      try {
        if (resumePath) {
          resume = readSessionLog(resumePath);
          if (resume.workspace !== root) throw new HarnessConfigError(`the session ${resumePath} belongs to the workspace ${resume.workspace}, not ${root}`);
        }
        // A `/command` becomes its prompt here, once for the CLI and the editor; a resumed task keeps its own text.
        const prepared = resume
          ? resumedShape(resume, workflows)
          : await prepareTask(task, workflows, {
              ...(agentName !== undefined ? { agent: agentName } : {}),
              ...(inputs ? { inputs } : {}),
              ...(askInput ? { askInput: (i) => askInput(i, runOptions.signal) } : {}),
              builtinHint: (name) => `/${name} is a chat command of the editor, not a task; here use ${CLI_EQUIVALENTS[name] ?? 'the chat view'}`,
            }).catch((err: unknown) => {
              throw err instanceof WorkflowRequestError ? new HarnessConfigError(err.message) : err;
            });
        for (const n of prepared.notices) runOptions.onEvent?.({ type: 'notice', message: n });
        const { notices: _notices, task: preparedTask, mode: preparedMode, ...shape } = prepared;
        const delegates = workflows.agents.filter((a) => a.name !== shape.agent?.name);
        sessionLog = openSessionLog(resumePath ?? sessionPath ?? defaultSessionPath());
        transcriptPath = sessionLog.path;
        const remembered = rememberOutcome(runOptions.onEvent);
        let step = 0;
        const onEvent = (e: AgentEvent) => {
          if (e.type === 'step') step = e.step;
          remembered(e);
        };
        // The user's checks and the project's (.tiller/checks.json, read now, as the task starts), run like commands.
        const checks = checksForTask({
          root,
          configRoot,
          userChecks: options.checks ?? [],
          policy,
          approver,
          trace,
          effective: () => live.effective(),
          sandbox: options.sandbox,
          log,
          step: () => step,
          onCheck: onEvent,
        });
        const outcome = await runTask(
          {
            model,
            host,
            policy,
            approver,
            editApplier,
            trace,
            sessionLog,
            dailySpend,
            externalSpend,
            workspaceRoot: root,
            ...(checkpointer ? { checkpointer } : {}),
            context: openContext(),
            changeObservers: [...(deps.changeObservers ?? []), ...(checks.observer ? [checks.observer] : [])],
            ...(checks.done ? { doneChecks: checks.done } : {}),
            ...(hooks ? { hooks } : {}),
            imageStore: createImageStore(imagesDir(tillerHome())),
          },
          {
            task: preparedTask,
            ...rest,
            ...(preparedMode ? { mode: preparedMode } : {}),
            ...shape,
            ...(delegates.length ? { delegates } : {}),
            ...(workflows.skills.length ? { skills: skillLibrary(workflows.skills) } : {}),
            ...(resume ? { resume } : {}),
            onEvent,
          },
        );
        return { ...outcome, sessionPath: sessionLog.path };
      } finally {
        sessionLog?.close();
        running = false;
      }
    },
    async close() {
      trace.close();
      await host.close();
      await oauth?.close();
      live.close();
      hookRunner?.close();
      await contained.close();
    },
  };
}

/** Where the chat's view commands are in a terminal. */
const CLI_EQUIVALENTS: Record<string, string> = {
  cost: '`tiller trace show TRACE` (the run prints its trace file and cost at the end)',
  context: '`tiller context --workspace DIR --query TEXT` (what the workspace index ranks for a task)',
  clear: 'a new `tiller run` (each run is a new session)',
  compact: 'nothing: Tiller compacts a long history on its own',
};

function resolveWorkspace(dir: string): string {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    throw new HarnessConfigError(`workspace folder not found: ${dir}`);
  }
  if (!statSync(real).isDirectory()) throw new HarnessConfigError(`workspace is not a folder: ${dir}`);
  return real;
}

export function newSessionId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+$/, '');
  return `${stamp}-${randomUUID().slice(0, 8)}`;
}

export function tillerHome(): string {
  return process.env.TILLER_HOME || join(homedir(), '.tiller');
}

export function defaultCheckpointStore(): string {
  return join(tillerHome(), 'checkpoints');
}

/**
 * A machine without git cannot take checkpoints; that is said once and changes go ahead without them (a checkpoint is
 * a way back, not a permission). Any other failure still stops the change, as the Checkpointer port says.
 */
function withoutGitTolerated(checkpoints: Checkpointer, log: Logger): Checkpointer {
  let warned = false;
  return {
    async beforeChange(change) {
      try {
        return await checkpoints.beforeChange(change);
      } catch (err) {
        if (err instanceof GitError && err.code === null) {
          if (!warned) log.warn(`checkpoints are off: ${err.message}`);
          warned = true;
          return undefined;
        }
        throw err;
      }
    },
  };
}

export function defaultTracePath(session: string): string {
  return join(tillerHome(), 'traces', `${session}.jsonl`);
}

/** Where a session's effective policy is written for the built-in servers and the sandbox (`--policy FILE`). */
export function sessionPolicyFile(session: string): string {
  return join(tillerHome(), 'run', session, 'policy.json');
}

export function defaultSessionPath(): string {
  return join(tillerHome(), 'sessions', `${newSessionId()}.jsonl`);
}

/**
 * A resumed task runs as narrowly as it began: the same custom agent, tool list and role. An agent that is no longer
 * defined stops the resume rather than letting the task continue with every tool.
 */
function resumedShape(resume: ResumeState, workflows: WorkflowCatalog): PreparedTask {
  const n = resume.narrowing ?? {};
  let agent: AgentProfile | undefined;
  if (n.agent !== undefined) {
    agent = workflows.agents.find((a) => a.name === n.agent);
    if (!agent)
      throw new HarnessConfigError(
        `the session ran as the agent ${JSON.stringify(n.agent)}, which is no longer defined; it cannot be resumed with wider tools`,
      );
  }
  return { task: resume.task, notices: [], ...(agent ? { agent } : {}), ...(n.tools ? { tools: n.tools } : {}), ...(n.role ? { role: n.role } : {}) };
}
