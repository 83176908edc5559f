// `${...}` variables in MCP server entries, as VS Code resolves them: `${workspaceFolder}`, `${userHome}`,
// `${env:NAME}` and `${input:ID}`. Anything else is an error naming the variable, not left for a shell to expand.
import { basename } from 'node:path';

export interface VariableContext {
  workspaceFolder?: string;
  userHome: string;
  env: Record<string, string | undefined>;
  /** Resolves an input's value, asking the user at most once per id. Undefined when none was given. */
  input(id: string): Promise<string | undefined>;
  /** Told of every value that came from the environment or an input: they may be secrets. */
  sensitive(value: string): void;
}

export class VariableError extends Error {
  override name = 'VariableError';
}

const VARIABLE = /\$\{([^}]*)\}/g;

export async function substitute(text: string, ctx: VariableContext): Promise<string> {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    out += text.slice(last, m.index) + (await valueOf(m[1]!.trim(), ctx));
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

async function valueOf(name: string, ctx: VariableContext): Promise<string> {
  if (name === 'workspaceFolder' || name === 'workspaceRoot') return folder(ctx, name);
  if (name === 'workspaceFolderBasename') return basename(folder(ctx, name));
  if (name === 'userHome') return ctx.userHome;
  if (name === 'pathSeparator' || name === '/') return '/';
  if (name.startsWith('env:')) {
    const value = ctx.env[name.slice(4)] ?? '';
    ctx.sensitive(value);
    return value;
  }
  if (name.startsWith('input:')) {
    const id = name.slice(6);
    const value = await ctx.input(id);
    if (value === undefined) throw new VariableError(`no value was given for \${input:${id}}`);
    return value;
  }
  throw new VariableError(`unsupported variable \${${name}} (use \${workspaceFolder}, \${userHome}, \${env:NAME} or \${input:ID})`);
}

function folder(ctx: VariableContext, name: string): string {
  if (ctx.workspaceFolder === undefined) throw new VariableError(`\${${name}} is used but no workspace folder is open`);
  return ctx.workspaceFolder;
}

/** A minimal dotenv reader: `KEY=value` lines, `#` comments, optional `export `, single or double quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n') : quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]!] = value;
  }
  return out;
}
