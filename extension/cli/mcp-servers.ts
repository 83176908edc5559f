// The CLI's MCP servers beyond the built-ins: the user's `$TILLER_HOME/mcp.json`, and the workspace's
// `.vscode/mcp.json` and `.mcp.json`. A repository's server starts only with consent to its exact command line and
// code, through the CLI's one consent prompt (workspace-consent.ts). Inputs are asked on the terminal in `ask` mode; in
// the other modes a server that needs one is not started, with a message saying why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tillerHome } from '../core/harness.js';
import { prepareMcpServers } from '../core/tools/config/prepare.js';
import type { ServerSpec } from '../core/tools/types.js';
import { cliConsent } from './workspace-consent.js';

export interface CliMcpOptions {
  workspaceRoot: string;
  env: NodeJS.ProcessEnv;
  /** The terminal, in `--approve ask`; undefined in the automatic modes. */
  prompt?: (text: string) => Promise<string | undefined>;
  /** The flag that agreed for this run (`--trust-workspace-config` or its alias), undefined when none. */
  trustFlag?: string;
  say: (line: string) => void;
}

export async function loadCliMcpServers(options: CliMcpOptions): Promise<ServerSpec[]> {
  const { prompt, say } = options;
  const user = readUserServers();
  const { servers, warnings } = await prepareMcpServers({
    workspaceRoot: options.workspaceRoot,
    userServers: user.servers,
    workspaceTrusted: true,
    home: tillerHome(),
    env: options.env,
    rememberConsent: options.trustFlag === undefined,
    askServerConsent: cliConsent({ ...(prompt ? { prompt } : {}), ...(options.trustFlag !== undefined ? { trustFlag: options.trustFlag } : {}), say }),
    promptInput: async (input) => {
      if (!prompt) {
        say(`[MCP server "${input.server}" needs the input "${input.id}" (${input.description}); it can be given only in --approve ask]`);
        return undefined;
      }
      // The terminal is read line by line, so a password is echoed when typed; it is still kept out of traces.
      const answer = await prompt(`\nMCP server "${input.server}" needs ${input.description || input.id}${input.password ? ' (secret)' : ''}: `);
      return answer === '' ? undefined : answer;
    },
  });
  for (const w of [...user.warnings, ...warnings]) say(`warning: ${w}`);
  return servers;
}

/**
 * The CLI's counterpart of the `tiller.mcpServers` setting: `$TILLER_HOME/mcp.json` in the `.mcp.json` shape
 * (`{"mcpServers": {...}}`, `trusted` allowed). A broken file costs its servers only, with a warning.
 */
function readUserServers(): { servers?: unknown; warnings: string[] } {
  const file = join(tillerHome(), 'mcp.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { warnings: [] };
    return { warnings: [`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); its servers are not started`] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { warnings: [`${file} is not valid JSON (${(err as Error).message}); its servers are not started`] };
  }
  const servers = value !== null && typeof value === 'object' ? (value as { mcpServers?: unknown }).mcpServers : undefined;
  if (servers === undefined) return { warnings: [`${file} has no "mcpServers" object; nothing to start`] };
  return { servers, warnings: [] };
}
