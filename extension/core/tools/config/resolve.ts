// Turns a configured server into the ServerSpec the tool host starts: variables resolved, the env file merged under
// the explicit `env`, and every value that may be a secret (password inputs, environment values, env entries,
// headers such as Authorization) registered with the trace redactor before anything could log it.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { registerSecret } from '../../trace/redact.js';
import type { ServerSpec } from '../types.js';
import type { McpInput } from './schema.js';
import type { ConfiguredServer } from './types.js';
import { parseEnvFile, substitute, VariableError, type VariableContext } from './variables.js';

/** Asks the user for an input's value (VS Code's `promptString`). Undefined when it cannot or the user declined. */
export type PromptInput = (input: { id: string; description: string; password: boolean; server: string }) => Promise<string | undefined>;

export interface ResolveContext {
  workspaceRoot?: string;
  env: Record<string, string | undefined>;
  promptInput: PromptInput;
  /** Input values already given in this load, by id, so one input is asked once for all servers. */
  inputCache?: Map<string, string>;
  /** Defaults to the trace redactor; tests may observe it. */
  registerSecret?: (value: string) => void;
}

export class ServerConfigError extends Error {
  override name = 'ServerConfigError';
}

export async function resolveServer(server: ConfiguredServer, ctx: ResolveContext): Promise<ServerSpec> {
  const register = ctx.registerSecret ?? registerSecret;
  // Traces are JSON lines: a secret with quotes or backslashes appears there escaped, so that form is registered too.
  const secret = (value: string) => {
    register(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) register(escaped);
  };
  const cache = ctx.inputCache ?? new Map<string, string>();
  const vars: VariableContext = {
    ...(ctx.workspaceRoot !== undefined ? { workspaceFolder: ctx.workspaceRoot } : {}),
    userHome: homedir(),
    env: ctx.env,
    sensitive: secret,
    input: (id) => askInput(server, id, cache, ctx.promptInput, secret),
  };
  const origin = { source: server.source, configHash: server.hash, trusted: server.trusted };
  try {
    const sub = (text: string) => substitute(text, vars);
    if (server.transport !== 'stdio') {
      const headers = await mapValues(server.headers, sub);
      for (const value of Object.values(headers)) {
        secret(value);
        // `Bearer <token>`: the token alone may be echoed back too.
        const token = /^\S+\s+(\S+)$/.exec(value)?.[1];
        if (token !== undefined) secret(token);
      }
      const url = await sub(server.url!);
      checkUrl(url);
      return { ...origin, name: server.name, transport: server.transport, url, ...(Object.keys(headers).length ? { headers } : {}) };
    }
    const fromFile = server.envFile !== undefined ? readEnvFile(await sub(server.envFile), ctx.workspaceRoot) : {};
    const env = { ...fromFile, ...(await mapValues(server.env, sub)) };
    for (const key of server.unsetEnv) delete env[key];
    for (const value of Object.values(env)) secret(value);
    const cwd = server.cwd !== undefined ? await sub(server.cwd) : ctx.workspaceRoot;
    return {
      ...origin,
      name: server.name,
      transport: 'stdio',
      command: await sub(server.command!),
      args: await Promise.all(server.args.map(sub)),
      ...(Object.keys(env).length ? { env } : {}),
      ...(cwd !== undefined ? { cwd: ctx.workspaceRoot !== undefined ? resolvePath(ctx.workspaceRoot, cwd) : cwd } : {}),
    };
  } catch (err) {
    if (err instanceof VariableError || err instanceof ServerConfigError)
      throw new ServerConfigError(`MCP server "${server.name}" (${server.origin}): ${err.message}`);
    throw err;
  }
}

async function askInput(
  server: ConfiguredServer,
  id: string,
  cache: Map<string, string>,
  prompt: PromptInput,
  secret: (v: string) => void,
): Promise<string | undefined> {
  const known = cache.get(id);
  if (known !== undefined) return known;
  const declared: McpInput | undefined = server.inputs.find((i) => i.id === id);
  if (!declared) throw new VariableError(`\${input:${id}} is not declared in "inputs"`);
  const value = (await prompt({ id, description: declared.description, password: declared.password === true, server: server.name })) ?? declared.default;
  if (value === undefined) return undefined;
  // Every input is treated as sensitive, not only `password` ones: users paste tokens into plain prompts too.
  secret(value);
  cache.set(id, value);
  return value;
}

function readEnvFile(path: string, root: string | undefined): Record<string, string> {
  const full = root !== undefined ? resolvePath(root, path) : path;
  try {
    return parseEnvFile(readFileSync(full, 'utf8'));
  } catch (err) {
    throw new ServerConfigError(`envFile ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ServerConfigError(`url is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ServerConfigError(`url must be http or https, not ${parsed.protocol}`);
}

async function mapValues(map: Record<string, string>, f: (v: string) => Promise<string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[k] = await f(v);
  return out;
}
