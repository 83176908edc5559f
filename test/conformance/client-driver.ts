// The client under test for `@modelcontextprotocol/conformance client`: Tiller's tool host (the same code the agent
// uses), pointed at the scenario's server URL (the last argument). The scenario name and context come from
// MCP_CONFORMANCE_SCENARIO and MCP_CONFORMANCE_CONTEXT. It plays the user: forms are accepted as offered (so schema
// defaults apply), sign-in pages are "clicked through" by following their redirect to the host's loopback listener.
import { createToolHost } from '../../extension/core/tools/host.js';
import { TillerOAuthProvider } from '../../extension/core/tools/oauth/provider.js';
import { createRedirectListener } from '../../extension/core/tools/oauth/redirect-listener.js';
import type { SecretStore } from '../../extension/core/ports.js';
import type { ToolDescriptor } from '../../extension/core/tools/types.js';

const url = process.argv[process.argv.length - 1];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as { client_id?: string; client_secret?: string };

function memorySecrets(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key),
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}

async function followSignIn(authorizationUrl: string): Promise<void> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = page.headers.get('location');
  if (location === null) throw new Error(`authorization page answered ${page.status} without a redirect`);
  await fetch(location);
}

/** Arguments for the scenario tools we know; otherwise a tool is called only when it needs no arguments. */
function argumentsFor(tool: ToolDescriptor): Record<string, unknown> | undefined {
  if (tool.tool === 'add_numbers') return { a: 5, b: 3 };
  const required = (tool.inputSchema as { required?: unknown }).required;
  return Array.isArray(required) && required.length > 0 ? undefined : {};
}

async function main(): Promise<number> {
  if (url === undefined || !/^https?:\/\//.test(url)) throw new Error(`expected the server URL as the last argument, got ${String(url)}`);
  const redirect = createRedirectListener();
  const log = { info: (m: string) => console.error(`[info] ${m}`), warn: (m: string) => console.error(`[warn] ${m}`), error: (m: string) => console.error(`[error] ${m}`) };
  const host = createToolHost([{ name: 'server', transport: 'http', url }], {
    log,
    connectTimeoutMs: 20_000,
    callTimeoutMs: 20_000,
    roots: [process.cwd()],
    elicitor: { elicit: async () => ({ action: 'accept', content: {} }) },
    authProviderFor: (spec) =>
      spec.transport === 'stdio'
        ? undefined
        : new TillerOAuthProvider({
            serverName: spec.name,
            serverUrl: spec.url,
            secrets: memorySecrets(),
            openExternal: followSignIn,
            redirect,
            ...(context.client_id !== undefined
              ? { preRegistered: { client_id: context.client_id, ...(context.client_secret !== undefined ? { client_secret: context.client_secret } : {}) } }
              : {}),
          }),
  });
  try {
    const tools = await host.listTools();
    const status = host.servers()[0];
    if (status?.state !== 'up') {
      console.error(`scenario ${scenario}: not connected: ${status?.lastError ?? 'unknown'}`);
      return 1;
    }
    for (const tool of tools.slice(0, 5)) {
      const args = argumentsFor(tool);
      if (args === undefined) continue;
      const result = await host.callTool(tool.name, args);
      console.log(`${tool.name}: ${result.isError ? 'error: ' : ''}${result.content}`);
    }
    return 0;
  } finally {
    await host.close();
    await redirect.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
