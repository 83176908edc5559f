// Runs one task at a time for the chat view: checks that it may run (trusted workspace, a folder, settings), creates
// a harness for it, streams its events to the view and closes it. Nothing heavy exists before the first task: the
// harness (model client, MCP servers) is made here, per task. Free of `vscode` so it is tested with fakes.
import { storeUploadedImages } from './task-images.js';
import { ImageError } from '../core/model/image-store.js';
import type { ImageAttachment } from '../core/model/types.js';
import type { ImageUpload } from '../protocol/messages.js';
import type { LoadedChecks } from '../core/checks/config.js';
import type { HarnessOptions, RunOptions, TaskOutcome } from '../core/agent/types.js';
import type { Approver, EditApplier, Logger } from '../core/ports.js';
import type { ContextInspection } from '../core/context/assembly/inspector.js';
import type { ServerSpec } from '../core/tools/types.js';
import type { AskConsent } from '../core/storage/consent-store.js';
import type { HostMessage } from '../protocol/messages.js';
import type { TillerConfig } from './config.js';
import type { SandboxSetup } from '../core/sandbox/setup.js';
import { sandboxedApprover, withSandboxSummary } from '../core/sandbox/approvals.js';
import { taskSizeProblem } from '../core/agent/task-limit.js';
import { pricesKnown } from '../core/model/cost.js';
import { countingApprover, outcomeNote } from './approval-tally.js';

/** The slice of core/harness.ts this runner uses. */
export interface HarnessLike {
  run(task: string, options?: RunOptions): Promise<TaskOutcome>;
  readonly tracePath: string;
  /** Set-up problems the user should see (a project rule file that does not parse, ...). */
  readonly warnings?: readonly string[];
  /** The items of the last prompt, for the context inspector. */
  inspectContext?(): ContextInspection | undefined;
  listResources?(): Promise<McpResourceItem[]>;
  close(): Promise<void>;
}

/** An MCP resource a server offered during the last task, for `@mcp:server:uri` completion. */
export interface McpResourceItem {
  server: string;
  uri: string;
  name: string;
}

/** How long a finished task waits for the servers' resource lists before closing. */
const RESOURCE_LIST_TIMEOUT_MS = 2000;

export interface TaskRunnerDeps {
  isTrusted(): boolean;
  /** The folder the task works in; undefined when no folder is open. */
  workspaceRoot(): string | undefined;
  loadConfig(): Promise<TillerConfig>;
  createHarness(options: HarnessOptions): Promise<HarnessLike>;
  approver: Approver;
  distDir: string;
  /** VS Code's own ripgrep, when it can be found. */
  ripgrepPath(): string | undefined;
  log: Logger;
  /** How approved change sets are written (VS Code: one undoable WorkspaceEdit); the harness's file writer when omitted. */
  editApplier?(workspaceRoot: string): EditApplier;
  /** Take checkpoints before edits and shell commands (restorable from the palette). */
  checkpoints?: boolean;
  /** Configured MCP servers to host next to the built-ins (consent already given for workspace ones). */
  mcpServers?(workspaceRoot: string): Promise<ServerSpec[]>;
  /** The consent prompt for the project's allow rules (the same dialog as for workspace MCP servers). */
  askConsent?: AskConsent;
  /**
   * How this task's commands are contained (core/sandbox/setup.ts): the shell server's mode, the summary the approval
   * card shows, and whether `tiller.approvals: sandboxed` may skip questions. Without it commands run as before.
   */
  sandbox?(workspaceRoot: string, config: TillerConfig): SandboxSetup;
  /** Asks for a slash command's `${input:name}` (an input box); undefined when the person cancels. */
  askInput?: RunOptions['askInput'];
  /** `tiller.checks` parsed (core/checks/config.ts parseUserChecks, in the deferred bundle); without it none run. */
  userChecks?(raw: unknown): LoadedChecks;
}

export interface TaskRequest {
  requestId: string;
  task: string;
  mode: 'plan' | 'act';
  /** A custom agent to run as (the mode picker). */
  agent?: string;
  /** Pasted or dropped into the composer; checked and stored before the task starts. */
  images?: ImageUpload[];
}

export const UNTRUSTED_MESSAGE =
  'This workspace is not trusted, so Tiller does not run tools or start MCP servers here. ' +
  'Trust the folder (command "Workspaces: Manage Workspace Trust") to run tasks.';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TaskRunner {
  private current: { requestId: string; controller: AbortController } | undefined;
  private lastTrace: string | undefined;
  private lastContext: ContextInspection | undefined;
  private lastResources: McpResourceItem[] = [];
  private lastPriced: boolean | undefined;

  constructor(private readonly deps: TaskRunnerDeps) {}

  get runningRequestId(): string | undefined {
    return this.current?.requestId;
  }

  /** The trace file of the most recent task, for `tiller.showTrace`. */
  get lastTracePath(): string | undefined {
    return this.lastTrace;
  }

  /** Whether the last task's models have known prices, so the trace viewer can say "price unknown" instead of $0. */
  get lastPriceKnown(): boolean | undefined {
    return this.lastPriced;
  }

  /** Resources the MCP servers offered during the last task (read before its harness closed), for mentions. */
  get knownResources(): McpResourceItem[] {
    return this.lastResources;
  }

  /** What the last task's last prompt held (read before its harness closed), for the context inspector. */
  get lastContextInspection(): ContextInspection | undefined {
    return this.lastContext;
  }

  /** Cancels the running task (only the one with this id, when given). True when something was cancelled. */
  stop(requestId?: string): boolean {
    if (!this.current || (requestId !== undefined && requestId !== this.current.requestId)) return false;
    this.current.controller.abort();
    return true;
  }

  /** Never throws: every failure reaches the view as an `error` message for this request. */
  async run(request: TaskRequest, post: (message: HostMessage) => void): Promise<void> {
    const fail = (message: string): void => post({ type: 'error', requestId: request.requestId, message });
    if (this.current) return fail('A task is already running. Stop it before starting another.');
    const tooLong = taskSizeProblem(request.task);
    if (tooLong) return fail(tooLong);
    if (!this.deps.isTrusted()) return fail(UNTRUSTED_MESSAGE);
    const root = this.deps.workspaceRoot();
    if (!root) return fail('Open a folder first: Tiller works on the files of a workspace folder.');
    let images: ImageAttachment[];
    try {
      images = storeUploadedImages(request.images ?? []);
    } catch (error) {
      // Nothing is sent with an image that is not one: the view shows why.
      if (error instanceof ImageError) return fail(`The image was not sent: ${error.message}.`);
      throw error;
    }

    const controller = new AbortController();
    this.current = { requestId: request.requestId, controller };
    let harness: HarnessLike | undefined;
    let tally: ReturnType<typeof countingApprover> | undefined;
    try {
      const config = await this.deps.loadConfig();
      if (config.problems.length) return fail(`Tiller is not set up yet. ${config.problems.join(' ')}`);
      this.lastPriced = pricesKnown(config.model);
      const mcpServers = (await this.deps.mcpServers?.(root)) ?? [];
      const sandbox = this.deps.sandbox?.(root, config);
      if (sandbox?.notice) {
        const also = config.approvals === 'sandboxed' ? ' tiller.approvals is "sandboxed", but every command asks until a sandbox is available.' : '';
        post({ type: 'event', requestId: request.requestId, event: { type: 'notice', message: `${sandbox.notice}${also}` } });
      }
      // A bad tiller.checks is said in the chat, naming the field; its checks do not run and the task goes on.
      const userChecks = this.deps.userChecks?.(config.userChecks) ?? { checks: [], errors: [] };
      for (const message of userChecks.errors) post({ type: 'event', requestId: request.requestId, event: { type: 'notice', message } });
      const shown = sandbox ? withSandboxSummary(this.deps.approver, sandbox.summary) : this.deps.approver;
      const approver = config.approvals === 'sandboxed' ? sandboxedApprover(shown, sandbox?.sparesQuestions === true, (m) => this.deps.log.info(m)) : shown;
      // Counted outermost, so what the outcome says was denied is what the person (or the sandboxed mode) answered.
      tally = countingApprover(approver);
      harness = await this.deps.createHarness({
        workspaceRoot: root,
        model: config.model,
        approver: tally.approver,
        ...(sandbox ? { sandbox: { mode: sandbox.mode, allowPaths: sandbox.allowPaths } } : {}),
        userRules: config.userRules,
        ...optional('checks', userChecks.checks.length ? userChecks.checks : undefined),
        distDir: this.deps.distDir,
        ...optional('ripgrepPath', this.deps.ripgrepPath()),
        ...optional('editApplier', this.deps.editApplier?.(root)),
        ...optional('checkpoints', this.deps.checkpoints),
        ...optional('mcp', mcpServers.length ? { servers: mcpServers } : undefined),
        ...optional('workspaceConsent', this.deps.askConsent ? { ask: this.deps.askConsent } : undefined),
        log: this.deps.log,
      });
      this.lastTrace = harness.tracePath;
      for (const message of harness.warnings ?? []) {
        post({ type: 'event', requestId: request.requestId, event: { type: 'notice', message } });
      }
      if (controller.signal.aborted) return fail('Stopped before the task started.');
      const outcome = await harness.run(request.task, {
        mode: request.mode,
        ...(request.agent ? { agent: request.agent } : {}),
        ...(this.deps.askInput ? { askInput: this.deps.askInput } : {}),
        ...(images.length ? { images } : {}),
        budgets: { maxSteps: config.maxSteps, maxCostUsd: config.maxCostUsd, ...(config.maxDailyCostUsd ? { maxDailyCostUsd: config.maxDailyCostUsd } : {}) },
        signal: controller.signal,
        onEvent: (event) => {
          // The outcome goes out once, below, from the returned value.
          if (event.type !== 'outcome') post({ type: 'event', requestId: request.requestId, event });
        },
      });
      const summary =
        outcome.error && !outcome.summary.includes(outcome.error) ? `${outcome.summary}${outcome.summary ? '\n' : ''}${outcome.error}` : outcome.summary;
      const note = tally ? outcomeNote(outcome, tally.counts) : undefined;
      post({
        type: 'outcome',
        requestId: request.requestId,
        status: outcome.status,
        summary,
        totals: outcome.totals,
        ...(note ? { note } : {}),
        priceKnown: this.lastPriced,
      });
    } catch (error) {
      this.deps.log.error(`task ${request.requestId} failed: ${messageOf(error)}`);
      fail(messageOf(error));
    } finally {
      this.current = undefined;
      if (harness) {
        this.lastContext = harness.inspectContext?.();
        const listing = harness.listResources?.();
        if (listing) {
          const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), RESOURCE_LIST_TIMEOUT_MS).unref?.());
          this.lastResources = (await Promise.race([listing.catch(() => undefined), timeout])) ?? this.lastResources;
        }
        await harness.close().catch((error: unknown) => this.deps.log.warn(`closing the harness: ${messageOf(error)}`));
      }
    }
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
