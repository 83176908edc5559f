// Consent for servers a repository brings, through the one consent store (storage/consent-store.ts): a workspace
// server starts only after the user has seen exactly what would run (command line with its environment, or URL, and
// the workspace files that command runs) and agreed. The grant is pinned to the entry as written and to the content
// of those files, so any change to the command, arguments, environment, URL or code asks again.
import { showHidden } from '../descriptions.js';
import type { ConsentRequest as StoreConsentRequest, ConsentSubject } from '../../storage/consent-store.js';
import { codeFilesOf, serverConsentHash, type CodeFile } from './code-files.js';
import type { ConfiguredServer } from './types.js';

export { ConsentStore } from '../../storage/consent-store.js';

export interface ConsentRequest extends StoreConsentRequest {
  kind: 'mcp-server';
  server: string;
  source: 'workspace';
  /** Exactly what would run, `${env:...}`/`${input:...}` shown as written; hidden characters made visible. */
  commandLine?: string;
  url?: string;
  /** Workspace files the command line runs; their content is part of the consent. */
  codeFiles: string[];
}

export type AskServerConsent = (request: ConsentRequest) => Promise<boolean>;

/** The subject a workspace server's consent is stored under, with its code files hashed now. */
export function serverConsentSubject(server: ConfiguredServer, workspace: string): { subject: ConsentSubject; files: CodeFile[] } {
  const files = codeFilesOf(server, workspace);
  return { subject: { workspace, kind: 'mcp-server', name: server.name, hash: serverConsentHash(server, files) }, files };
}

export function consentRequest(server: ConfiguredServer, workspace: string, files: CodeFile[] = codeFilesOf(server, workspace)): ConsentRequest {
  // A missing package or lock file is part of the hash (one appearing later asks again) but not worth a line.
  const codeFiles = files.filter((f) => f.hash !== 'missing').map((f) => f.path);
  const base = {
    kind: 'mcp-server' as const,
    name: server.name,
    server: server.name,
    source: 'workspace' as const,
    origin: server.origin,
    workspace,
    wants: `start the MCP server "${server.name}"`,
    question: 'Start it?',
    agree: 'Start',
    codeFiles,
  };
  const codeLine = codeFiles.length ? [`runs the workspace files: ${codeFiles.map(showHidden).join(', ')}`] : [];
  if (server.transport !== 'stdio') {
    const headers = Object.keys(server.headers);
    const url = showHidden(withFolder(server.url!, workspace)) + (headers.length ? ` (headers: ${headers.join(', ')})` : '');
    return { ...base, url, shown: [`url: ${url}`] };
  }
  const parts: string[] = [];
  if (server.cwd !== undefined) parts.push(`cd ${quote(withFolder(server.cwd, workspace))} &&`);
  const envs = Object.entries(server.env).map(([k, v]) => `${k}=${quote(withFolder(v, workspace))}`);
  if (envs.length || server.unsetEnv.length || server.envFile !== undefined) {
    parts.push('env', ...server.unsetEnv.map((k) => `-u ${k}`), ...envs);
    if (server.envFile !== undefined) parts.push(`(plus the variables in ${quote(withFolder(server.envFile, workspace))})`);
  }
  parts.push(quote(withFolder(server.command!, workspace)), ...server.args.map((a) => quote(withFolder(a, workspace))));
  const commandLine = showHidden(parts.join(' '));
  return { ...base, commandLine, shown: [`command: ${commandLine}`, ...codeLine] };
}

function withFolder(text: string, workspace: string): string {
  return text.replace(/\$\{workspaceFolder\}/g, workspace);
}

function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./${}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
