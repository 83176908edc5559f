// How the CLI answers MCP servers' forms (`elicitation/create`). With `--approve ask` the user is asked field by field
// on the terminal; in every other mode nobody is there to answer, so forms are declined. The host applies defaults
// and checks the final answer against the schema; this only collects it.
import type { ElicitationAnswer, Elicitor } from '../core/ports.js';
import { stripControl } from '../core/tools/protocol/logging.js';

type Prompt = (text: string, signal?: AbortSignal) => Promise<string | undefined>;
type Value = string | number | boolean | string[];

interface Field {
  name: string;
  type: string;
  title?: string;
  description?: string;
  options?: string[];
  default?: unknown;
  required: boolean;
}

function fieldsOf(schema: Record<string, unknown>): Field[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, p]) => {
    const items = (p.items ?? {}) as Record<string, unknown>;
    const options = Array.isArray(p.enum)
      ? (p.enum as unknown[]).map(String)
      : Array.isArray(p.oneOf)
        ? (p.oneOf as { const?: unknown }[]).map((o) => String(o.const))
        : Array.isArray(items.enum)
          ? (items.enum as unknown[]).map(String)
          : undefined;
    // Everything here is the server's text, shown on the user's terminal: no escape sequences get through.
    return {
      name,
      type: typeof p.type === 'string' ? p.type : 'string',
      ...(typeof p.title === 'string' ? { title: stripControl(p.title) } : {}),
      ...(typeof p.description === 'string' ? { description: stripControl(p.description) } : {}),
      ...(options ? { options } : {}),
      ...('default' in p ? { default: p.default } : {}),
      required: required.has(name),
    };
  });
}

/** Turns what the user typed into the field's type; an error message when it does not fit. */
export function parseFieldAnswer(field: Field, raw: string): { value: Value } | { error: string } {
  const text = raw.trim();
  if (field.type === 'boolean') {
    if (/^(y|yes|true)$/i.test(text)) return { value: true };
    if (/^(n|no|false)$/i.test(text)) return { value: false };
    return { error: 'answer yes or no' };
  }
  if (field.type === 'number' || field.type === 'integer') {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n))) return { error: `enter ${field.type === 'integer' ? 'a whole number' : 'a number'}` };
    return { value: n };
  }
  const pick = (t: string): string | undefined => {
    if (!field.options) return t;
    const byIndex = /^\d+$/.test(t) ? field.options[Number(t) - 1] : undefined;
    return byIndex ?? field.options.find((o) => o === t);
  };
  if (field.type === 'array') {
    const picked = text.split(',').map((t) => t.trim()).filter((t) => t !== '').map(pick);
    if (picked.some((p) => p === undefined)) return { error: `choose from: ${stripControl(field.options?.join(', ') ?? '')}` };
    return { value: picked as string[] };
  }
  const one = pick(text);
  if (one === undefined) return { error: `choose one of: ${field.options?.map((o, i) => `${i + 1}) ${stripControl(o)}`).join(', ')}` };
  return { value: one };
}

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
