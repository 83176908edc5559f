// The CLI's one consent prompt, for everything a repository asks to be trusted with (its MCP servers, the allow rules
// of its `.tiller/permissions.json` and `.claude/settings.json`, its hooks): asked on the terminal in `--approve ask`, given for this run
// only by `--trust-workspace-config` (`--trust-workspace-mcp` is its older name), and declined otherwise — an
// automatic run never widens what a repository may do on its own.
import { consentText, type AskConsent, type ConsentRequest } from '../core/storage/consent-store.js';

export interface CliConsentOptions {
  /** The terminal, in `--approve ask`; undefined in the automatic modes. */
  prompt?: (text: string) => Promise<string | undefined>;
  /** The flag that agreed for this run, as the user typed it; undefined when none was given. */
  trustFlag?: string;
  say: (line: string) => void;
}

function subject(request: ConsentRequest): string {
  return request.kind === 'mcp-server' ? `MCP server "${request.name}" from ${request.origin}` : `${request.origin}`;
}

export function cliConsent(options: CliConsentOptions): AskConsent {
  return async (request) => {
    if (options.trustFlag !== undefined) {
      const verb = request.kind === 'mcp-server' ? 'starting' : 'trusting';
      options.say(`[${verb} ${subject(request)} (${options.trustFlag}): ${request.shown.join('; ')}]`);
      return true;
    }
    if (!options.prompt) {
      const not = request.kind === 'mcp-server' ? 'not started' : request.kind === 'hooks' ? 'hooks not run' : 'allow rules not in force';
      options.say(`[${subject(request)} ${not}: it needs your consent; run with --approve ask or --trust-workspace-config]`);
      return false;
    }
    const answer = await options.prompt(`\n${consentText(request)}\n${request.question} [y/N] `);
    return answer !== undefined && /^(y|yes)$/i.test(answer);
  };
}
