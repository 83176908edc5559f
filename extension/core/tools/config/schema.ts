// The three places MCP servers are configured, as zod schemas: VS Code's `.vscode/mcp.json` (`servers`, `inputs`),
// the portable `.mcp.json` (`mcpServers`), and the user's `tiller.mcpServers` setting (the `.mcp.json` shape plus
// `trusted`, which only the user's own settings may set). Unknown keys are ignored so files written for other tools
// still load.
import { z } from 'zod';

const envValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const stringMap = z.record(z.string(), z.string());

/** One server as VS Code writes it. `type` may be left out when `command` is given. */
export const vscodeServerSchema = z
  .object({
    type: z.enum(['stdio', 'http', 'sse']).optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), envValue.nullable()).optional(),
    envFile: z.string().min(1).optional(),
    cwd: z.string().min(1).optional(),
    url: z.string().min(1).optional(),
    headers: stringMap.optional(),
  })
  .refine((s) => (s.type === 'http' || s.type === 'sse' ? s.url !== undefined : s.command !== undefined), {
    message: 'a stdio server needs `command`; an http or sse server needs `url`',
  });

export const inputSchema = z.object({
  type: z.literal('promptString'),
  id: z.string().min(1),
  description: z.string().default(''),
  password: z.boolean().optional(),
  default: z.string().optional(),
});

export const vscodeFileSchema = z.object({
  inputs: z.array(inputSchema).optional(),
  servers: z.record(z.string(), vscodeServerSchema).default({}),
});

/** One server in `.mcp.json`: a command, or a URL (type http or sse; http when left out). */
export const portableServerSchema = z
  .object({
    type: z.enum(['stdio', 'http', 'sse', 'streamable-http']).optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), envValue).optional(),
    cwd: z.string().min(1).optional(),
    url: z.string().min(1).optional(),
    headers: stringMap.optional(),
  })
  .refine((s) => (s.command !== undefined) !== (s.url !== undefined), { message: 'give either `command` or `url`' });

export const portableFileSchema = z.object({ mcpServers: z.record(z.string(), portableServerSchema).default({}) });

export const userServerSchema = portableServerSchema.and(z.object({ trusted: z.boolean().optional() }));
export const userServersSchema = z.record(z.string(), userServerSchema);

export type McpInput = z.infer<typeof inputSchema>;

/**
 * The JSON schema of `.mcp.json` that editors validate against (schemas/mcp-servers.schema.json). "command or url"
 * is a refinement JSON schema does not carry; the loader still checks it.
 */
export function mcpServersJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(portableFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
