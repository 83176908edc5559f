// The sidebar chat: a WebviewViewProvider that serves the HTML shell, validates every message from the webview
// before anything acts on it, and posts typed messages back. The validator is injected (it lives in the deferred
// view bundle with zod, see deferred.ts), so this file costs nothing at activation.
import * as vscode from 'vscode';
import type { Logger } from '../core/ports.js';
import type { HostMessage, ParseResult, WebviewMessage } from '../protocol/messages.js';
import { chatHtml } from './chat-html.js';

export const CHAT_VIEW_ID = 'tiller.chat';

/** The request id of a refused `runTask`, when it is one the view could have made (so echoing it is safe). */
export function refusedRequestId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, requestId } = raw as { type?: unknown; requestId?: unknown };
  if (type !== 'runTask' || typeof requestId !== 'string') return undefined;
  return /^[A-Za-z0-9_-]{1,100}$/.test(requestId) ? requestId : undefined;
}

export class ChatViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly parse: (raw: unknown) => ParseResult<WebviewMessage>,
    private readonly onMessage: (message: WebviewMessage) => Promise<void>,
    private readonly log: Logger,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    view.webview.onDidReceiveMessage((raw: unknown) => {
      let parsed: ParseResult<WebviewMessage>;
      try {
        parsed = this.parse(raw);
      } catch (error) {
        // The validator lives in a deferred bundle; if it cannot load, say why instead of failing silently.
        this.log.error(`cannot handle chat view messages: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      if (!parsed.ok) {
        this.log.error(`dropped an invalid message from the chat view: ${parsed.error}`);
        // A refused task must not leave the view waiting for it: answer its request id, so Stop and New Task work.
        const requestId = refusedRequestId(raw);
        if (requestId) this.post({ type: 'error', requestId, message: `Tiller did not run this: ${parsed.error}` });
        return;
      }
      this.onMessage(parsed.message).catch((error: unknown) =>
        this.log.error(`handling ${parsed.message.type}: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
    view.webview.html = chatHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css')).toString(),
      codiconUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
    });
    this.view = view;
  }

  /** True while the view is on screen: only then can an approval card be seen and answered. */
  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  /** True once VS Code has shown the view (and until it disposes it): only then is there anyone to tell. */
  get resolved(): boolean {
    return this.view !== undefined;
  }

  post(message: HostMessage): void {
    // A hidden-then-disposed view cannot receive; the transcript of that run is in the trace.
    this.view?.webview.postMessage(message).then(undefined, (error: unknown) => this.log.warn(`posting to the chat view: ${String(error)}`));
  }
}
