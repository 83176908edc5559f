// Entry point of dist/extension-view.js: what the chat view needs once it is opened (message validation, the
// controller, settings). A separate bundle so that activation does not even parse zod; see deferred.ts.
export { parseWebviewMessage } from '../protocol/messages.js';
export { ChatController } from './chat-controller.js';
export { loadConfig } from './config-source.js';
