// Connects the chat view's services for extension.ts, keeping activation light: the webview approver, the session
// store and the host services live in the view bundle and are created on first use. Until the view exists (or while
// it is hidden) approvals go to the modal dialog.
import type * as vscode from 'vscode';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../core/ports.js';
import type { HostMessage } from '../protocol/messages.js';
import type { ChatControllerDeps } from './chat-controller.js';
import type { TillerConfig } from './config.js';
import { viewServices } from './deferred.js';
import { outputLog } from './log.js';

export interface ChatWiring {
  /** Says something in the chat outside a task (a restored checkpoint), and keeps it in the current session. */
  notice(message: string): void;
  /** For the TaskRunner: cards in the view when it is showing, the dialog otherwise. */
  approver: Approver;
  /** The extra ChatController dependencies (approvals, sessions, setup, mentions, code actions, trace). */
  controllerDeps(
    lastTracePath: () => string | undefined,
    lastContext?: ChatControllerDeps['contextInspection'],
    knownResources?: () => readonly { server: string; uri: string; name: string }[],
  ): Partial<ChatControllerDeps>;
}

export function chatWiring(
  context: vscode.ExtensionContext,
  view: { post(message: HostMessage): void; readonly visible: boolean },
  loadConfig: () => Promise<TillerConfig>,
  fallback: Approver,
): ChatWiring {
  type Services = ReturnType<typeof viewServices>;
  let approver: InstanceType<Services['WebviewApprover']> | undefined;
  let sessions: InstanceType<Services['SessionStore']> | undefined;
  const webviewApprover = (): InstanceType<Services['WebviewApprover']> => {
    const s = viewServices();
    approver ??= new s.WebviewApprover({
      post: (m) => {
        // Cards go into the session too, so a reopened session still shows them (closed, with their outcome).
        sessions?.recordView(m);
        view.post(m);
      },
      canShow: () => view.visible,
      fallback,
      readBase: (p) => s.chatHost.readWorkspaceFile(p),
      addAllowRule: (rule) => s.chatHost.addProjectAllowRule(rule),
      log: outputLog,
    });
    return approver;
  };
  return {
    notice(message) {
      const m: HostMessage = { type: 'notice', message };
      sessions?.recordView(m);
      view.post(m);
    },
    approver: {
      approve: (request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision> =>
        view.visible ? webviewApprover().approve(request, signal) : fallback.approve(request, signal),
      askUser: (question, signal) => fallback.askUser(question, signal),
    },
    controllerDeps(lastTracePath, lastContext, knownResources) {
      const s = viewServices();
      sessions ??= new s.SessionStore(context.workspaceState);
      return {
        approvals: webviewApprover(),
        sessions,
        setup: s.chatHost.setupServices(context.secrets, loadConfig),
        insertCode: (code) => s.chatHost.insertCode(code),
        copyText: (text) => s.chatHost.copyText(text),
        mentions: (query) => s.chatHost.mentionItems(query, knownResources?.() ?? []),
        traceSteps: () => s.readTraceSteps(lastTracePath()),
        workflows: () => s.chatHost.workflowItems(loadConfig),
        ...(lastContext ? { contextInspection: lastContext } : {}),
      };
    },
  };
}
