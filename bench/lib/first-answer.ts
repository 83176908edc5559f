// The context server's time to first answer: the bundled server spawned over stdio, initialised on a tree, and asked
// to rank right after `initialized` (the request waits for the cold build). Measured from spawn to the answer.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { RANK_METHOD, type RankResult } from '../../extension/context-server/protocol.js';

export async function contextServerFirstAnswer(root: string, query: string, distDir = 'dist'): Promise<{ ms: number; top: string | undefined } | string> {
  const bundle = join(distDir, 'context-server.js');
  if (!existsSync(bundle)) return `no ${bundle}: run \`npm run build\` first`;
  const t0 = performance.now();
  const child = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onNotification('window/logMessage', () => {});
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  try {
    const uri = pathToFileURL(root).href;
    await connection.sendRequest('initialize', { processId: null, rootUri: uri, workspaceFolders: [{ uri, name: 'bench' }], capabilities: {}, initializationOptions: {} });
    await connection.sendNotification('initialized', {});
    const ranked = await connection.sendRequest<RankResult>(RANK_METHOD, { query, top: 3 });
    return { ms: performance.now() - t0, top: ranked[0]?.path };
  } finally {
    connection.dispose();
    child.kill();
  }
}
