// Entry point of dist/context-server.js: the context server over whatever transport the client chose on the command
// line (`--stdio`, `--node-ipc`, `--socket=N`), with the real workspace index. Started by the VS Code client
// (extension/vscode/context-client.ts) or any LSP client; see protocol.ts for what it answers.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { buildWorkspaceIndex } from '../core/context/index/workspace-index.js';
import { startContextServer } from './server.js';

startContextServer(createConnection(ProposedFeatures.all), { buildIndex: buildWorkspaceIndex });
