// How the CLI answers MCP servers' forms (`elicitation/create`). With `--approve ask` the user is asked field by field
// on the terminal; in every other mode nobody is there to answer, so forms are declined. The host applies defaults
// and checks the final answer against the schema; this only collects it.
import type { ElicitationAnswer, Elicitor } from '../core/ports.js';
import { stripControl } from '../core/tools/protocol/logging.js';
import { fieldsOf, parseFieldAnswer, type Value } from '../core/tools/protocol/elicitation-fields.js';

type Prompt = (text: string, signal?: AbortSignal) => Promise<string | undefined>;
export function terminalElicitor(prompt: Prompt, write: (text: string) => void): Elicitor {
  return {
    async elicit(request, signal): Promise<ElicitationAnswer> {
      write(`\nThe MCP server ${request.server} asks: ${stripControl(request.message)}\n`);
      const go = (await prompt('Answer it? [y]es / [n]o (decline) / [c]ancel: ', signal))?.trim();
      if (go === undefined || /^c(ancel)?$/i.test(go)) return { action: 'cancel' };
      if (!/^y(es)?$/i.test(go)) return { action: 'decline' };
      const content: Record<string, Value> = {};
      for (const field of fieldsOf(request.requestedSchema)) {
        const label = stripControl(field.title ?? field.name);
        const hints = [
          field.options ? `options: ${field.options.map((o, i) => `${i + 1}) ${stripControl(o)}`).join(', ')}` : stripControl(field.type),
          field.default !== undefined ? `default ${JSON.stringify(field.default)}` : field.required ? 'required' : 'optional, Enter to skip',
        ];
        if (field.description) write(`  ${field.description}\n`);
        for (let attempt = 0; ; attempt++) {
          const raw = await prompt(`  ${label} (${hints.join('; ')}): `, signal);
          if (raw === undefined) return { action: 'cancel' };
          if (raw.trim() === '' && (field.default !== undefined || !field.required)) break; // the host fills in the default
          const parsed = parseFieldAnswer(field, raw);
          if ('value' in parsed) {
            content[field.name] = parsed.value;
            break;
          }
          if (attempt >= 2) return { action: 'cancel' };
          write(`  ${parsed.error}\n`);
        }
      }
      return { action: 'accept', content };
    },
  };
}

/** Without a person at the terminal, forms are declined (and said so). */
export function decliningElicitor(say: (line: string) => void): Elicitor {
  return {
    async elicit(request) {
      say(`[form from MCP server ${request.server} declined: nobody to answer it outside --approve ask] ${request.message}`);
      return { action: 'decline' };
    },
  };
}
