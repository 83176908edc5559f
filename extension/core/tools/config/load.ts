// Reads MCP server configuration from the user's settings and the workspace's `.vscode/mcp.json` and `.mcp.json`.
// A file that does not parse or validate is reported with the field path and skipped whole; the other sources still
// load. Names shared with the built-in servers, or used twice, are refused: a repository must not be able to pass
// off its tools as `workspace.read_file`.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { SERVER_NAME } from '../../model/tool-names.js';
import { canonicalJson, sha256 } from '../pinning/hash.js';
import { portableFileSchema, userServersSchema, vscodeFileSchema, type McpInput } from './schema.js';
import type { ConfiguredServer, LoadResult, ServerSource } from './types.js';

/** Names of the built-in servers; a configured server may not take them. */
export const RESERVED_SERVER_NAMES: ReadonlySet<string> = new Set(['workspace', 'shell', 'tiller']);

export interface LoadOptions {
  workspaceRoot?: string;
  /** The `tiller.mcpServers` setting, unvalidated. */
  userServers?: unknown;
}

type Entry = Omit<ConfiguredServer, 'hash' | 'name' | 'source' | 'origin' | 'inputs' | 'trusted'> & { raw: unknown; trusted?: boolean };

export function loadMcpServers(options: LoadOptions): LoadResult {
  const result: LoadResult = { servers: [], errors: [] };
  const add = (name: string, source: ServerSource, origin: string, entry: Entry, inputs: McpInput[], extraHash = '') => {
    if (!SERVER_NAME.test(name)) return void result.errors.push(`${origin}: server name ${JSON.stringify(name)} must match ${SERVER_NAME}; skipped`);
    if (RESERVED_SERVER_NAMES.has(name)) return void result.errors.push(`${origin}: server name "${name}" is reserved for a built-in server; skipped`);
    const taken = result.servers.find((s) => s.name === name);
    if (taken) return void result.errors.push(`${origin}: server "${name}" is already configured in ${taken.origin}; skipped`);
    const { raw, trusted, ...spec } = entry;
    const hash = sha256(canonicalJson({ entry: raw, envFile: extraHash }));
    result.servers.push({ ...spec, name, source, origin, inputs, trusted: source === 'user' && trusted === true, hash });
  };

  // User settings first: on a name clash the user's own server wins over the repository's.
  if (options.userServers !== undefined && options.userServers !== null) {
    const parsed = validate('tiller.mcpServers', userServersSchema, options.userServers, result.errors);
    if (parsed) for (const [name, s] of Object.entries(parsed)) add(name, 'user', 'tiller.mcpServers', portableEntry(s), []);
  }
  if (options.workspaceRoot === undefined) return result;

  const vscodePath = join(options.workspaceRoot, '.vscode', 'mcp.json');
  const vscode = readConfigFile('.vscode/mcp.json', vscodePath, vscodeFileSchema, result.errors);
  if (vscode) {
    for (const [name, s] of Object.entries(vscode.servers)) {
      const env: Record<string, string> = {};
      const unsetEnv: string[] = [];
      for (const [k, v] of Object.entries(s.env ?? {}))
        if (v === null) unsetEnv.push(k);
        else env[k] = v;
      const transport = s.type ?? (s.command !== undefined ? 'stdio' : 'http');
      const entry: Entry = {
        raw: s,
        transport,
        args: s.args ?? [],
        env,
        unsetEnv,
        headers: s.headers ?? {},
        ...(transport === 'stdio' ? { command: s.command! } : { url: s.url! }),
        ...(s.envFile !== undefined ? { envFile: s.envFile } : {}),
        ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
      };
      add(name, 'workspace', '.vscode/mcp.json', entry, vscode.inputs ?? [], envFileBytes(options.workspaceRoot, s.envFile));
    }
  }
  const portable = readConfigFile('.mcp.json', join(options.workspaceRoot, '.mcp.json'), portableFileSchema, result.errors);
  if (portable) for (const [name, s] of Object.entries(portable.mcpServers)) add(name, 'workspace', '.mcp.json', portableEntry(s), []);
  return result;
}

function portableEntry(s: z.infer<typeof userServersSchema>[string]): Entry {
  const transport = s.command !== undefined ? 'stdio' : s.type === 'sse' ? 'sse' : 'http';
  return {
    raw: s,
    transport,
    args: s.args ?? [],
    env: s.env ?? {},
    unsetEnv: [],
    headers: s.headers ?? {},
    ...(s.command !== undefined ? { command: s.command } : { url: s.url! }),
    ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
    ...('trusted' in s && s.trusted !== undefined ? { trusted: s.trusted } : {}),
  };
}

/** The env file is part of what the user consents to: it can set NODE_OPTIONS as well as any `env` entry can. */
function envFileBytes(root: string, envFile: string | undefined): string {
  if (envFile === undefined) return '';
  try {
    return sha256(readFileSync(resolve(root, envFile.replace('${workspaceFolder}', root)), 'utf8'));
  } catch {
    return 'unreadable';
  }
}

function readConfigFile<T>(label: string, path: string, schema: z.ZodType<T>, errors: string[]): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      errors.push(`${label}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); skipped`);
    return undefined;
  }
  const parseErrors: ParseError[] = [];
  const value: unknown = parseJsonc(text, parseErrors, { allowTrailingComma: true });
  if (parseErrors.length > 0) {
    const first = parseErrors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    errors.push(`${label}: not valid JSON at line ${line} (${printParseErrorCode(first.error)}); skipped`);
    return undefined;
  }
  return validate(label, schema, value, errors);
}

function validate<T>(label: string, schema: z.ZodType<T>, value: unknown, errors: string[]): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const at = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  errors.push(`${label}: ${at}: ${issue.message}; skipped`);
  return undefined;
}
