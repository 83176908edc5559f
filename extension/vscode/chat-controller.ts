// What the chat view's messages do: `ready` -> the state, history and any waiting approval cards; `runTask` -> the
// runner; `stop` -> cancel; `approvalAnswer` -> the webview approver; setup, mentions, code actions, trace and
// context queries -> the injected host services. Free of `vscode` (everything arrives as functions) so it is tested
// with fakes; messages arrive here already validated.
import type { Logger } from '../core/ports.js';
import type { ContextInspection } from '../core/context/assembly/inspector.js';
import type { AgentItem, ApprovalAnswer, ApprovalView, HostMessage, MentionItem, SlashCommandItem, WebviewMessage } from '../protocol/messages.js';
import type { TillerConfig } from './config.js';
import type { SessionStore } from './chat-sessions.js';
import { promptSizes, type TraceStepRow } from './chat-trace.js';
import type { ConnectionResult } from './setup-connection.js';
import { UNTRUSTED_MESSAGE, type TaskRunner } from './task-runner.js';
import type { LedgerRow } from '../protocol/messages.js';

export interface SetupServices {
  /** GET {baseUrl}/models; `apiKey` undefined means the stored key. */
  test(baseUrl: string, apiKey: string | undefined): Promise<ConnectionResult>;
  /** Saves to the user's settings (and the key, when given, to SecretStorage). Throws with a readable message. */
  save(input: { baseUrl: string; apiKey: string | undefined; model: string; smallModel: string | undefined }): Promise<void>;
  hasKey(): Promise<boolean>;
}

export interface ChatControllerDeps {
  post(message: HostMessage): void;
  runner: Pick<TaskRunner, 'run' | 'stop' | 'runningRequestId'>;
  loadConfig(): Promise<TillerConfig>;
  isTrusted(): boolean;
  executeCommand(command: string): Promise<unknown>;
  log: Logger;
  approvals?: { answer(approvalId: string, answer: ApprovalAnswer): string | undefined; waiting(): { approvalId: string; view: ApprovalView }[] };
  sessions?: SessionStore;
  setup?: SetupServices;
  insertCode?(code: string): Promise<void>;
  copyText?(text: string): Promise<void>;
  mentions?(query: string): Promise<MentionItem[]>;
  /** The items of the last task's last prompt, when the harness could say (the context inspector). */
  contextInspection?(): ContextInspection | undefined;
  /** Whether the last task's models have known prices (undefined before any task). */
  priceKnown?(): boolean | undefined;
  /** The workspace's slash commands and custom agents, for `/` completion and the mode picker. */
  workflows?(): Promise<{ commands: SlashCommandItem[]; agents: AgentItem[] }>;
  /** The last task's trace steps (trace viewer and context inspector). */
  traceSteps?(): { steps: TraceStepRow[]; ledger?: LedgerRow[]; note?: string };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ChatController {
  constructor(private readonly deps: ChatControllerDeps) {}

  async handle(message: WebviewMessage): Promise<void> {
    const d = this.deps;
    switch (message.type) {
      case 'ready':
        await this.sendState();
        if (d.sessions) d.post(d.sessions.message());
        for (const card of d.approvals?.waiting() ?? []) d.post({ type: 'approval', ...card });
        await this.sendWorkflows();
        return;
      case 'runTask': {
        d.sessions?.startTask(
          message.requestId,
          message.task,
          message.mode,
          message.images?.map((i) => i.name),
        );
        if (d.sessions) d.post(d.sessions.listMessage());
        // @-mentions stay in the text: the harness's context hooks resolve them (files, @problems, @diff, ...).
        // A `/command` is expanded by the harness (core/workflows), as in the CLI; the transcript shows what was typed.
        await d.runner.run(
          {
            requestId: message.requestId,
            task: message.task,
            mode: message.mode,
            ...(message.agent ? { agent: message.agent } : {}),
            ...(message.images?.length ? { images: message.images } : {}),
          },
          (m) => {
            d.sessions?.record(message.requestId, m);
            d.post(m);
          },
        );
        // The history list follows without a reload: the task is in it from its start, and again at its end.
        if (d.sessions) d.post(d.sessions.listMessage());
        // A task may have added or changed a command or an agent file.
        await this.sendWorkflows();
        return;
      }
      case 'stop':
        // A view that thinks a task runs which the extension does not know (it was refused, or the window reloaded)
        // is told it ended, so its Stop button always gets it out of "running".
        if (!d.runner.stop(message.requestId) && d.runner.runningRequestId !== message.requestId) {
          d.post({ type: 'error', requestId: message.requestId, message: 'No task is running.' });
        }
        return;
      case 'runCommand':
        await d.executeCommand(message.command);
        return;
      case 'approvalAnswer': {
        const problem = d.approvals?.answer(message.approvalId, message.answer) ?? 'approvals are not handled here';
        if (problem) d.log.warn(`approval ${message.approvalId}: ${problem}`);
        return;
      }
      case 'insertCode':
        await d.insertCode?.(message.code);
        return;
      case 'copyText':
        await d.copyText?.(message.text);
        return;
      case 'mentionQuery': {
        let items: MentionItem[] = [];
        try {
          items = (await d.mentions?.(message.query)) ?? [];
        } catch (error) {
          d.log.warn(`mention completion: ${messageOf(error)}`);
        }
        d.post({ type: 'mentionResults', requestId: message.requestId, items });
        return;
      }
      case 'setupTest': {
        if (!d.setup) return;
        const key = message.apiKey.trim() || undefined;
        d.post({ type: 'setupResult', requestId: message.requestId, result: await d.setup.test(message.baseUrl, key) });
        return;
      }
      case 'setupSave': {
        if (!d.setup) return;
        try {
          await d.setup.save({
            baseUrl: message.baseUrl,
            apiKey: message.apiKey.trim() || undefined,
            model: message.model,
            smallModel: message.smallModel || undefined,
          });
          d.post({ type: 'setupSaved', requestId: message.requestId });
          await this.sendState();
        } catch (error) {
          d.post({ type: 'setupSaved', requestId: message.requestId, error: messageOf(error) });
        }
        return;
      }
      case 'sessionOpen':
        if (d.sessions?.open(message.sessionId)) d.post(d.sessions.message());
        return;
      case 'traceQuery': {
        const { steps, ledger, note } = d.traceSteps?.() ?? { steps: [], note: 'The trace viewer is not available.' };
        const priceKnown = d.priceKnown?.();
        d.post({
          type: 'trace',
          requestId: message.requestId,
          steps,
          ...(ledger ? { ledger } : {}),
          ...(note ? { note } : {}),
          ...(priceKnown !== undefined ? { priceKnown } : {}),
        });
        return;
      }
      case 'contextQuery': {
        const inspection = d.contextInspection?.();
        if (inspection && inspection.items.length) {
          d.post({
            type: 'context',
            requestId: message.requestId,
            items: inspection.items.map((i) => ({ label: `${i.kind}: ${i.label}`, tokens: i.tokens, reason: i.reason })),
            note: `${inspection.totalTokens.toLocaleString('en-US')} of ${inspection.budget.toLocaleString('en-US')} prompt tokens used.`,
          });
          return;
        }
        const { steps, note } = d.traceSteps?.() ?? { steps: [], note: 'The context inspector is not available.' };
        d.post({
          type: 'context',
          requestId: message.requestId,
          items: promptSizes(steps),
          note:
            note ?? 'Prompt size of each model call of the last task. A per-item breakdown (files, rules, history) needs the context inspector of the harness.',
        });
        return;
      }
    }
  }

  /** The commands and agents the files define now; a failure to read them leaves the view's lists as they are. */
  private async sendWorkflows(): Promise<void> {
    const d = this.deps;
    if (!d.workflows) return;
    try {
      d.post({ type: 'workflows', ...(await d.workflows()) });
    } catch (error) {
      d.log.warn(`slash commands and agents: ${messageOf(error)}`);
    }
  }

  /** Tells the view that the current session is over (the `tiller.newTask` command). */
  newSession(): void {
    this.deps.sessions?.clear();
  }

  /**
   * Tells the view whether a task can run. A malformed setting is reported rather than hidden. An untrusted workspace
   * is said up front (not only when a task is refused) as part of the state, so the state sent when trust is granted
   * takes the note away.
   */
  async sendState(): Promise<void> {
    const d = this.deps;
    const trust = d.isTrusted() ? {} : { untrusted: UNTRUSTED_MESSAGE };
    try {
      const config = await d.loadConfig();
      const configured = config.problems.length === 0;
      const extra = { ...(d.setup ? { ...(config.model.baseUrl ? { baseUrl: config.model.baseUrl } : {}), hasKey: await d.setup.hasKey() } : {}), ...trust };
      d.post(configured ? { type: 'state', configured, model: config.model.largeModel, ...extra } : { type: 'state', configured, ...extra });
    } catch (error) {
      const message = messageOf(error);
      d.log.error(message);
      d.post({ type: 'state', configured: false, ...trust });
      d.post({ type: 'error', message });
    }
  }
}
