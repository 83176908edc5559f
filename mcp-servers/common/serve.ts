// Starts a built-in server on stdio (the default) or on Streamable HTTP bound to 127.0.0.1 (`--http PORT`).
// HTTP runs stateless: each POST gets a fresh McpServer and transport, so no session state can leak between
// clients and nothing needs cleaning up when a client goes away.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { rejectForeignRequest } from './http-guard.js';

export interface ServeOptions {
  httpPort?: number;
  /** Called once when the server is shutting down (stdin closed, SIGTERM), to stop work in flight. */
  onShutdown?: () => void;
}

function sendJsonError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function handleHttp(makeServer: () => McpServer, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refusal = rejectForeignRequest(port, req.headers.host, req.headers.origin);
  if (refusal !== undefined) return sendJsonError(res, 403, refusal);
  if (req.method !== 'POST') return sendJsonError(res, 405, 'this server is stateless: only POST is supported');
  const server = makeServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

export async function serve(makeServer: () => McpServer, options: ServeOptions, log: (line: string) => void): Promise<void> {
  let shuttingDown = false;
  const shutdown = (code: number): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    options.onShutdown?.();
    process.exit(code);
  };
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));

  if (options.httpPort === undefined) {
    const server = makeServer();
    const transport = new StdioServerTransport();
    // The client closing our stdin is the normal way to stop a stdio server.
    process.stdin.on('end', () => shutdown(0));
    process.stdin.on('close', () => shutdown(0));
    await server.connect(transport);
    return;
  }
  const port = options.httpPort;
  const http = createServer((req, res) => {
    handleHttp(makeServer, port, req, res).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJsonError(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  log(`listening on http://127.0.0.1:${port}/mcp`);
}
