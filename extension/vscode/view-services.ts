// Entry point of dist/extension-view.js: what the chat view needs once it is opened (message validation, the
// controller, settings). A separate bundle so that activation does not even parse zod; see deferred.ts.
export { parseWebviewMessage } from '../protocol/messages.js';
export { ChatController } from './chat-controller.js';
export { loadConfig } from './config-source.js';
export { WebviewApprover } from './webview-approver.js';
export { SessionStore } from './chat-sessions.js';
export { readTraceSteps } from './chat-trace.js';
export * as chatHost from './chat-host.js';
