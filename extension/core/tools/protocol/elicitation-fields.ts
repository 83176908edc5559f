// The fields of an MCP form (`elicitation/create`'s flat object schema) and how typed text becomes a field's value.
// Shared by the CLI's terminal prompts and VS Code's input boxes; the host applies defaults and validates the whole
// answer against the schema afterwards.
import { stripControl } from './logging.js';

export type Value = string | number | boolean | string[];

export interface Field {
  name: string;
  type: string;
  title?: string;
  description?: string;
  options?: string[];
  default?: unknown;
  required: boolean;
}

export function fieldsOf(schema: Record<string, unknown>): Field[] {
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
    if (text === '' || !Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n)))
      return { error: `enter ${field.type === 'integer' ? 'a whole number' : 'a number'}` };
    return { value: n };
  }
  const pick = (t: string): string | undefined => {
    if (!field.options) return t;
    const byIndex = /^\d+$/.test(t) ? field.options[Number(t) - 1] : undefined;
    return byIndex ?? field.options.find((o) => o === t);
  };
  if (field.type === 'array') {
    const picked = text
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map(pick);
    if (picked.some((p) => p === undefined)) return { error: `choose from: ${stripControl(field.options?.join(', ') ?? '')}` };
    return { value: picked as string[] };
  }
  const one = pick(text);
  if (one === undefined) return { error: `choose one of: ${field.options?.map((o, i) => `${i + 1}) ${stripControl(o)}`).join(', ')}` };
  return { value: one };
}
