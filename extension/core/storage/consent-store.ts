// One consent store for everything a repository asks to be trusted with: the MCP servers it would start, the allow
// rules in its `.tiller/permissions.json`, and (later) the hooks it would run. Cloning a repository must never be
// enough to run its code or widen what the agent may do: each of these takes effect only after the user has seen
// exactly what it is and agreed. A grant is keyed by workspace, kind, name and the hash of the exact content the user
// saw, so any change to that content asks again. Stored in `$TILLER_HOME/consent.json`, shared by every window and
// CLI run (updates are locked; a corrupt file is set aside and reported, and grants nothing).
import { join } from 'node:path';
import { z } from 'zod';
import { jsonStore, type JsonStore } from './json-store.js';

/** What a repository may ask to be trusted with. */
export type ConsentKind = 'mcp-server' | 'project-rules' | 'hooks';

/** What one grant is about: the hash is of the exact content shown to the user. */
export interface ConsentSubject {
  workspace: string;
  kind: ConsentKind;
  /** The server's name, or the file's workspace-relative path for rules and hooks. */
  name: string;
  hash: string;
}

/** One prompt shape for every kind: the CLI's terminal prompt and VS Code's modal dialog both render this. */
export interface ConsentRequest {
  kind: ConsentKind;
  name: string;
  /** Where it came from (`.mcp.json`, `.tiller/permissions.json`). */
  origin: string;
  workspace: string;
  /** What the workspace wants, completing "This workspace's <origin> wants to …", e.g. `start the MCP server "fs"`. */
  wants: string;
  /** Exactly what the consent covers, one item a line, hidden characters already made visible. */
  shown: string[];
  /** The yes/no question, e.g. `Start it?`. */
  question: string;
  /** The button (VS Code) or the word for yes, e.g. `Start`. */
  agree: string;
}

export type AskConsent = (request: ConsentRequest) => Promise<boolean>;

const grantSchema = z.object({
  workspace: z.string(),
  kind: z.enum(['mcp-server', 'project-rules', 'hooks']),
  name: z.string(),
  hash: z.string(),
  shown: z.string(),
  at: z.string(),
});
type Grant = z.infer<typeof grantSchema>;

// Version 1 held MCP servers only (`server` for the name); it is read as `mcp-server` grants so nobody is asked again.
const v1Schema = z.object({
  version: z.literal(1),
  grants: z.array(z.object({ workspace: z.string(), server: z.string(), hash: z.string(), shown: z.string(), at: z.string() })),
});
const v2Schema = z.object({ version: z.literal(2), grants: z.array(grantSchema) });
const consentFileSchema = z
  .union([v2Schema, v1Schema])
  .transform((file): ConsentFile =>
    file.version === 2 ? file : { version: 2, grants: file.grants.map(({ server, ...g }) => ({ ...g, kind: 'mcp-server' as const, name: server })) },
  );
interface ConsentFile {
  version: 2;
  grants: Grant[];
}

export const CONSENT_FILE = 'consent.json';

export class ConsentStore {
  readonly path: string;
  private readonly store: JsonStore<ConsentFile>;
  constructor(home: string, warn?: (message: string) => void) {
    this.path = join(home, CONSENT_FILE);
    this.store = jsonStore(this.path, consentFileSchema, (): ConsentFile => ({ version: 2, grants: [] }), { onProblem: (p) => warn?.(p.reason) });
  }

  /** True only for a grant to this exact content. */
  has(subject: ConsentSubject): boolean {
    return this.store.read().grants.some((g) => same(g, subject) && g.hash === subject.hash);
  }

  /** Whether any content of this subject was ever agreed to (whatever its hash). */
  hasAny(subject: Omit<ConsentSubject, 'hash'>): boolean {
    return this.store.read().grants.some((g) => same(g, subject));
  }

  /** Records the agreement; the newest replaces any older one for the same workspace, kind and name. */
  grant(subject: ConsentSubject, shown: string): void {
    this.store.update((file) => {
      const grants = file.grants.filter((g) => !same(g, subject));
      grants.push({ workspace: subject.workspace, kind: subject.kind, name: subject.name, hash: subject.hash, shown, at: new Date().toISOString() });
      return { version: 2, grants };
    });
  }

  /** Drops the agreement (the content is gone or the user withdrew it). */
  revoke(subject: Omit<ConsentSubject, 'hash'>): void {
    this.store.update((file) => ({ version: 2, grants: file.grants.filter((g) => !same(g, subject)) }));
  }
}

function same(g: Grant, s: Omit<ConsentSubject, 'hash'>): boolean {
  return g.workspace === s.workspace && g.kind === s.kind && g.name === s.name;
}

/** How a request reads on a terminal; the CLI prompt and its log lines use this one text. */
export function consentText(request: ConsentRequest): string {
  return `This workspace's ${request.origin} wants to ${request.wants}:\n${request.shown.map((l) => `  ${l}`).join('\n')}`;
}
