// Entry point of dist/extension-tasks.js: the harness (model client, MCP host, policy, traces), loaded when the first
// task runs. A separate bundle so that activation and opening the view never parse it; see deferred.ts.
export { createHarness } from '../core/harness.js';
export { createShadowCheckpointer } from '../core/edits/checkpoints/shadow.js';
export { defaultCheckpointStore } from '../core/harness.js';
export { configuredMcpServers } from './mcp-servers.js';
export { ContextClient } from './context-client.js';
export { mcpServerEntries, checkMcpServer } from './mcp-servers.js';
export { askWorkspaceConsent } from './workspace-consent.js';
export { sandboxSetup } from '../core/sandbox/setup.js';
export { writeCommitMessageCommand } from './commit-message.js';
export { parseUserChecks } from '../core/checks/config.js';
export { writeCommitMessage, CommitMessageError } from '../core/edits/commit-message.js';
export { createModelClient } from '../core/model/client.js';
export { createPolicyEngine } from '../core/policy/engine.js';
export { registerSecret } from '../core/trace/redact.js';
export * as worktrees from '../core/worktrees/index.js';
