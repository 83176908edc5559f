// The whole path from configuration to servers the host may start: load every source, hold back what the workspace
// brings unless the workspace is trusted and the user agreed to that exact entry, then resolve variables. Every
// server left out is explained in `warnings`; none of this stops the built-in servers or the session.
import type { ServerSpec } from '../types.js';
import { consentRequest, ConsentStore, serverConsentSubject, type AskServerConsent } from './consent.js';
import { loadMcpServers } from './load.js';
import { resolveServer, ServerConfigError, type PromptInput } from './resolve.js';

export interface PrepareOptions {
  workspaceRoot?: string;
  /** The `tiller.mcpServers` setting, unvalidated. */
  userServers?: unknown;
  /** False: nothing from the workspace's files starts (VS Code's restricted mode, or the CLI told so). */
  workspaceTrusted: boolean;
  askServerConsent: AskServerConsent;
  promptInput: PromptInput;
  /** TILLER_HOME, where consent is stored. */
  home: string;
  env?: Record<string, string | undefined>;
  /** Input values by id, kept by the caller so a long-lived host (VS Code) asks once per window, not once per task. */
  inputCache?: Map<string, string>;
  /** Store a given consent for later sessions (default true); false for a one-off such as a CLI flag. */
  rememberConsent?: boolean;
  /** Prepare only the server of this name (a check run of one server asks no consent for the others). */
  only?: string;
}

export interface PreparedServers {
  servers: ServerSpec[];
  warnings: string[];
}

export async function prepareMcpServers(options: PrepareOptions): Promise<PreparedServers> {
  const loaded = loadMcpServers({
    ...(options.workspaceRoot !== undefined ? { workspaceRoot: options.workspaceRoot } : {}),
    userServers: options.userServers,
  });
  const warnings = [...loaded.errors];
  const consent = new ConsentStore(options.home, (m) => warnings.push(m));
  const inputCache = options.inputCache ?? new Map<string, string>();
  const servers: ServerSpec[] = [];
  for (const server of loaded.servers) {
    if (options.only !== undefined && server.name !== options.only) continue;
    if (server.source === 'workspace') {
      const root = options.workspaceRoot!;
      if (!options.workspaceTrusted) {
        warnings.push(`MCP server "${server.name}" from ${server.origin} was not started: the workspace is not trusted`);
        continue;
      }
      const { subject, files } = serverConsentSubject(server, root);
      if (!consent.has(subject)) {
        const request = consentRequest(server, root, files);
        if (!(await options.askServerConsent(request))) {
          warnings.push(`MCP server "${server.name}" from ${server.origin} was not started: not approved (${request.commandLine ?? request.url})`);
          continue;
        }
        if (options.rememberConsent !== false) consent.grant(subject, request.shown.join('\n'));
      }
    }
    try {
      servers.push(
        await resolveServer(server, {
          ...(options.workspaceRoot !== undefined ? { workspaceRoot: options.workspaceRoot } : {}),
          env: options.env ?? process.env,
          promptInput: options.promptInput,
          inputCache,
        }),
      );
    } catch (err) {
      if (!(err instanceof ServerConfigError)) throw err;
      warnings.push(`${err.message}; not started`);
    }
  }
  return { servers, warnings };
}
