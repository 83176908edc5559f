// Consent for servers a repository brings. Cloning a repository must never be enough to run its code: a workspace
// server starts only after the user has seen exactly what would run (command line with its environment, or URL)
// and agreed. The agreement is stored under TILLER_HOME, keyed by workspace, server name and the hash of the entry
// as written, so any change to the command, arguments, environment or URL asks again.
import { join } from 'node:path';
import { z } from 'zod';
import { showHidden } from '../descriptions.js';
import { jsonStore, type JsonStore } from '../../storage/json-store.js';
import type { ConfiguredServer } from './types.js';

export interface ConsentRequest {
  server: string;
  source: 'workspace';
  /** Where the entry came from (`.vscode/mcp.json`, `.mcp.json`). */
  origin: string;
  workspace: string;
  /** Exactly what would run, `${env:...}`/`${input:...}` shown as written; hidden characters made visible. */
  commandLine?: string;
  url?: string;
}

export type AskServerConsent = (request: ConsentRequest) => Promise<boolean>;

const consentFileSchema = z.object({
  version: z.literal(1),
  grants: z.array(z.object({ workspace: z.string(), server: z.string(), hash: z.string(), shown: z.string(), at: z.string() })),
});
type ConsentFile = z.infer<typeof consentFileSchema>;

/** Shared by every window and CLI run: updates are locked; a corrupt file is set aside and reported (see storage/). */
export class ConsentStore {
  readonly path: string;
  private readonly store: JsonStore<ConsentFile>;
  constructor(home: string, warn?: (message: string) => void) {
    this.path = join(home, 'consent.json');
    this.store = jsonStore(this.path, consentFileSchema, (): ConsentFile => ({ version: 1, grants: [] }), { onProblem: (p) => warn?.(p.reason) });
  }

  has(workspace: string, server: ConfiguredServer): boolean {
    return this.store.read().grants.some((g) => g.workspace === workspace && g.server === server.name && g.hash === server.hash);
  }

  async grant(workspace: string, server: ConfiguredServer, shown: string): Promise<void> {
    this.store.update((file) => {
      // One grant per workspace and server: the newest agreement replaces the old one.
      const grants = file.grants.filter((g) => !(g.workspace === workspace && g.server === server.name));
      grants.push({ workspace, server: server.name, hash: server.hash, shown, at: new Date().toISOString() });
      return { version: 1, grants };
    });
  }
}

export function consentRequest(server: ConfiguredServer, workspace: string): ConsentRequest {
  const base = { server: server.name, source: 'workspace' as const, origin: server.origin, workspace };
  if (server.transport !== 'stdio') {
    const headers = Object.keys(server.headers);
    return { ...base, url: showHidden(withFolder(server.url!, workspace)) + (headers.length ? ` (headers: ${headers.join(', ')})` : '') };
  }
  const parts: string[] = [];
  if (server.cwd !== undefined) parts.push(`cd ${quote(withFolder(server.cwd, workspace))} &&`);
  const envs = Object.entries(server.env).map(([k, v]) => `${k}=${quote(withFolder(v, workspace))}`);
  if (envs.length || server.unsetEnv.length || server.envFile !== undefined) {
    parts.push('env', ...server.unsetEnv.map((k) => `-u ${k}`), ...envs);
    if (server.envFile !== undefined) parts.push(`(plus the variables in ${quote(withFolder(server.envFile, workspace))})`);
  }
  parts.push(quote(withFolder(server.command!, workspace)), ...server.args.map((a) => quote(withFolder(a, workspace))));
  return { ...base, commandLine: showHidden(parts.join(' ')) };
}

function withFolder(text: string, workspace: string): string {
  return text.replace(/\$\{workspaceFolder\}/g, workspace);
}

function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./${}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
