// What the chat view's messages do: `ready` -> send the state, `runTask` -> the runner, `stop` -> cancel,
// `runCommand` -> one of the two setup commands. Free of `vscode` (commands run through an injected function) so it
// is tested with fakes; messages arrive here already validated.
import type { Logger } from '../core/ports.js';
import type { HostMessage, WebviewMessage } from '../protocol/messages.js';
import type { TillerConfig } from './config.js';
import { UNTRUSTED_MESSAGE, type TaskRunner } from './task-runner.js';

export interface ChatControllerDeps {
  post(message: HostMessage): void;
  runner: Pick<TaskRunner, 'run' | 'stop'>;
  loadConfig(): Promise<TillerConfig>;
  isTrusted(): boolean;
  executeCommand(command: string): Promise<unknown>;
  log: Logger;
}

export class ChatController {
  constructor(private readonly deps: ChatControllerDeps) {}

  async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.sendState();
        // Say so up front rather than only when a task is refused.
        if (!this.deps.isTrusted()) this.deps.post({ type: 'error', message: UNTRUSTED_MESSAGE });
        return;
      case 'runTask':
        return this.deps.runner.run(
          { requestId: message.requestId, task: message.task, mode: message.mode },
          (m) => this.deps.post(m),
        );
      case 'stop':
        this.deps.runner.stop(message.requestId);
        return;
      case 'runCommand':
        await this.deps.executeCommand(message.command);
        return;
    }
  }

  /** Tells the view whether a task can run. A malformed setting is reported rather than hidden. */
  async sendState(): Promise<void> {
    try {
      const config = await this.deps.loadConfig();
      const configured = config.problems.length === 0;
      this.deps.post(configured ? { type: 'state', configured, model: config.model.largeModel } : { type: 'state', configured });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.error(message);
      this.deps.post({ type: 'state', configured: false });
      this.deps.post({ type: 'error', message });
    }
  }
}
